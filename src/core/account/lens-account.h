/* lens-account.h — the API address and token the app works with
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

#define LENS_TYPE_ACCOUNT (lens_account_get_type ())
G_DECLARE_FINAL_TYPE (LensAccount, lens_account, LENS, ACCOUNT, GObject)

LensAccount *lens_account_new                  (SoupSession          *session,
                                                const char           *api_url,
                                                gboolean              url_fixed,
                                                const char           *token_override);

const char  *lens_account_get_api_url          (LensAccount          *self);
gboolean     lens_account_set_api_url          (LensAccount          *self,
                                                const char           *api_url,
                                                GError              **error);
const char  *lens_account_get_token            (LensAccount          *self);
gboolean     lens_account_get_has_token        (LensAccount          *self);
gboolean     lens_account_get_url_fixed        (LensAccount          *self);
gboolean     lens_account_get_token_fixed      (LensAccount          *self);
gboolean     lens_account_get_token_known      (LensAccount          *self);
const char  *lens_account_get_keyring_problem  (LensAccount          *self);

void         lens_account_load_token_async     (LensAccount          *self,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
gboolean     lens_account_load_token_finish    (LensAccount          *self,
                                                GAsyncResult         *result,
                                                GError              **error);

void         lens_account_set_token_async      (LensAccount          *self,
                                                const char           *token,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
gboolean     lens_account_set_token_finish     (LensAccount          *self,
                                                GAsyncResult         *result,
                                                GError              **error);

void         lens_account_check_token_async    (LensAccount          *self,
                                                const char           *token,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
gboolean     lens_account_check_token_finish   (LensAccount          *self,
                                                GAsyncResult         *result,
                                                GError              **error);

G_END_DECLS
