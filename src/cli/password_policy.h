/*
 * password_policy.h — what a staff password must be (catalog/passwords/README.md): at
 * least QZ_STAFF_PASSWORD_MIN characters, not containing the login, and not, once the
 * digits and signs around its letters are taken off, a common password of
 * catalog/passwords/common.txt or a word of Debian's English word list.
 */
#ifndef QZ_CLI_PASSWORD_POLICY_H
#define QZ_CLI_PASSWORD_POLICY_H

#include "cli/cli.h"

enum { QZ_STAFF_PASSWORD_MIN = 12 };

/* 0 when `password` may be the password of staff login `login`; -1 with QZ_EINPUT
 * cli.password_short (value: the minimum), cli.password_login or cli.password_common. */
int qz_cli_password_policy(const qz_cli *cli, const char *login, const char *password, qz_err *err);

#endif
