#ifndef AUDITWATCH_CPOSTGRES_SHIM_H
#define AUDITWATCH_CPOSTGRES_SHIM_H
#include <libpq-fe.h>
#include <stddef.h>

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
