/* lens-secrets.h — the API token, in the user's keyring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define LENS_SECRETS_ERROR (lens_secrets_error_quark ())

typedef enum
{
  LENS_SECRETS_ERROR_NO_KEYRING,  /* no keyring: the token lives for this session only */
  LENS_SECRETS_ERROR_FAILED,      /* the keyring refused or failed */
} LensSecretsError;

GQuark    lens_secrets_error_quark     (void);

void      lens_secrets_lookup_async    (const char           *api_url,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
char     *lens_secrets_lookup_finish   (GAsyncResult         *result,
                                        GError              **error);
void      lens_secrets_store_async     (const char           *api_url,
                                        const char           *token,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
gboolean  lens_secrets_store_finish    (GAsyncResult         *result,
                                        GError              **error);
void      lens_secrets_clear_async     (const char           *api_url,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
gboolean  lens_secrets_clear_finish    (GAsyncResult         *result,
                                        GError              **error);

G_END_DECLS
