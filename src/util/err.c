/* err.c - error code names/messages and the sl_err_t helpers. */
#include "util/err.h"

#include <stdio.h>
#include <string.h>

static const char *const names[] = {
#define SL_ERR_NAME(name, msg) #name,
    SL_ERR_TABLE(SL_ERR_NAME)
#undef SL_ERR_NAME
};

static const char *const msgs[] = {
#define SL_ERR_MSGS(name, msg) msg,
    SL_ERR_TABLE(SL_ERR_MSGS)
#undef SL_ERR_MSGS
};

const char *sl_err_name(int code)
{
    if (code < 0) code = -code;
    return code < SL_E_COUNT ? names[code] : "UNKNOWN";
}

const char *sl_err_str(int code)
{
    if (code < 0) code = -code;
    return code < SL_E_COUNT ? msgs[code] : "unknown error";
}

void sl_err_clear(sl_err_t *err)
{
    if (!err) return;
    err->code = 0;
    err->off = -1;
    err->len = 0;
    err->msg[0] = '\0';
}

int sl_err_vat(sl_err_t *err, int code, int off, int len, const char *fmt,
               va_list ap)
{
    if (code < 0) code = -code;
    if (err) {
        err->code = code;
        err->off = off;
        err->len = len;
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    }
    return -code;
}

int sl_err_at(sl_err_t *err, int code, int off, int len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = sl_err_vat(err, code, off, len, fmt, ap);
    va_end(ap);
    return rc;
}

int sl_err_set(sl_err_t *err, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = sl_err_vat(err, code, -1, 0, fmt, ap);
    va_end(ap);
    return rc;
}
