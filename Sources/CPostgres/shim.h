#ifndef AUDITWATCH_CPOSTGRES_SHIM_H
#define AUDITWATCH_CPOSTGRES_SHIM_H
#include <libpq-fe.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* libpq writes server notices ("relation already exists, skipping") to stderr by default; a
   store reports through its own errors instead, so notices are dropped. */
static inline void aw_pq_ignore_notice(void *argument, const char *message) {
    (void)argument;
    (void)message;
}

static inline void aw_pq_silence_notices(PGconn *connection) {
    PQsetNoticeProcessor(connection, aw_pq_ignore_notice, NULL);
}

/* Connects with `dbname` expanded: the URL from the config plus separate keywords (the
   password, which never appears in the URL that messages name). */
static inline PGconn *aw_pq_connect(const char *const *keywords, const char *const *values) {
    return PQconnectdbParams(keywords, values, 1);
}

/* The value of one keyword in a connection URL (`options`: what its author asked the server to
   set), copied with malloc for the caller to free; NULL when absent, or when the URL does not
   parse (connecting then says why). */
static inline char *aw_pq_url_value(const char *url, const char *keyword) {
    PQconninfoOption *options = PQconninfoParse(url, NULL);
    if (options == NULL) return NULL;
    char *found = NULL;
    for (PQconninfoOption *option = options; option->keyword != NULL; option++) {
        if (strcmp(option->keyword, keyword) == 0 && option->val != NULL) {
            found = strdup(option->val);
            break;
        }
    }
    PQconninfoFree(options);
    return found;
}

/* Parameters as text, results as text: every value the store binds is a string or a number. */
static inline PGresult *aw_pq_exec_text(PGconn *connection, const char *command, int count,
                                        const char *const *values) {
    return PQexecParams(connection, command, count, NULL, values, NULL, NULL, 0);
}

/* PG_DIAG_* are character macros; these name the two fields an error message uses. */
static inline const char *aw_pq_sqlstate(const PGresult *result) {
    return PQresultErrorField(result, PG_DIAG_SQLSTATE);
}

static inline const char *aw_pq_primary_message(const PGresult *result) {
    return PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
}

#endif
