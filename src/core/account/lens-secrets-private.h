/* lens-secrets-private.h — how keyring failures become LensSecretsError
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Exposed for tests only: a test cannot make the Secret Service disappear,
 * so the mapping is tested on its own.
 */

#pragma once

#include "lens-secrets.h"

G_BEGIN_DECLS

typedef enum
{
  LENS_SECRETS_OPERATION_LOOKUP,
  LENS_SECRETS_OPERATION_STORE,
  LENS_SECRETS_OPERATION_CLEAR,
} LensSecretsOperation;

GError *lens_secrets_error_from_keyring (const GError         *error,
                                         LensSecretsOperation  operation);

G_END_DECLS
