#include "cli/password_policy.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* The system's English word list (Debian's wamerican). */
static const char WORDS[] = "/usr/share/dict/american-english";

static void lower(const char *in, char *out, size_t cap)
{
    size_t n = 0;
    for (; in[n] && n + 1 < cap; n++)
        out[n] = (char)tolower((unsigned char)in[n]);
    out[n] = '\0';
}

/* A letter: ASCII, or any byte of a multi-byte UTF-8 character (Kazakh and Russian
 * letters among them). */
static bool is_letter(unsigned char c)
{
    return isalpha(c) || c >= 0x80;
}

/* The letters at the heart of a password: lower case, with the digits and signs before
 * and after them taken off ("Password2026!" → "password"). */
static void base_of(const char *password, char *out, size_t cap)
{
    lower(password, out, cap);
    size_t start = 0, end = strlen(out);
    while (start < end && !is_letter((unsigned char)out[start]))
        start++;
    while (end > start && !is_letter((unsigned char)out[end - 1]))
        end--;
    memmove(out, out + start, end - start);
    out[end - start] = '\0';
}

/* Whether `word` (lower case) is a line of the file at `path`, compared without case;
 * false when the file cannot be read. */
static bool listed(const char *path, const char *word)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    char line[256], low[256];
    bool found = false;
    while (!found && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        lower(line, low, sizeof low);
        found = strcmp(low, word) == 0;
    }
    fclose(f);
    return found;
}

int qz_cli_password_policy(const qz_cli *cli, const char *login, const char *password, qz_err *err)
{
    char pw[512], who[256], base[512], path[4096];
    if (strlen(password) < QZ_STAFF_PASSWORD_MIN)
        return qz_err_setf(err, QZ_EINPUT, "cli.password_short", "password", "%d",
                           QZ_STAFF_PASSWORD_MIN);
    lower(password, pw, sizeof pw);
    lower(login, who, sizeof who);
    if (who[0] && strstr(pw, who))
        return qz_err_set(err, QZ_EINPUT, "cli.password_login", "password", NULL);
    base_of(password, base, sizeof base);
    if (qz_cli_catalog_path(cli, "passwords/common.txt", path, sizeof path, err))
        return -1;
    bool common = base[0] == '\0' || listed(path, base) || listed(path, pw) ||
                  (strlen(base) >= 3 && listed(WORDS, base));
    return common ? qz_err_set(err, QZ_EINPUT, "cli.password_common", "password", NULL) : 0;
}
