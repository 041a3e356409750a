package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/parley-api/parley/models"
	"gorm.io/gorm"
)

// dbError turns a driver or GORM error into a *models.Error. Constraint violations that
// pre-checks did not catch (a concurrent writer) become conflicts; contention that
// transact could not retry away, cancellations, timeouts and an unreachable database
// become EUNAVAILABLE (a 503 the client may retry); everything else stays internal, with
// the cause kept for the log.
func dbError(err error, what string) error {
	if err == nil {
		return nil
	}
	var me *models.Error
	switch {
	case errors.As(err, &me):
		return me
	case errors.Is(err, gorm.ErrRecordNotFound):
		return &models.Error{Code: models.ENOTFOUND, Message: what + " not found", Err: err}
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return &models.Error{Code: models.ECONFLICT, Message: what + " conflicts with an existing entity (duplicate id or slug)", Err: err}
	case errors.Is(err, gorm.ErrForeignKeyViolated):
		return &models.Error{Code: models.ECONFLICT, Message: what + " is referenced by, or refers to, another entity", Err: err}
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded), sqliteCode(err) == sqliteInterrupt:
		// SQLite reports a cancelled context as an interrupted statement.
		return &models.Error{Code: models.EUNAVAILABLE, Message: "the request was cancelled or timed out", Err: err}
	case contended(err):
		return &models.Error{Code: models.EUNAVAILABLE, Message: "the database is busy with conflicting writes; retry shortly", Err: err}
	case pgCode(err) == "57014":
		return &models.Error{Code: models.EUNAVAILABLE, Message: "the query took too long; narrow it or retry later", Err: err}
	case unreachable(err):
		return &models.Error{Code: models.EUNAVAILABLE, Message: "the database is unavailable; try again shortly", Err: err}
	}
	return &models.Error{Code: models.EINTERNAL, Message: "internal error", Err: fmt.Errorf("%s: %w", what, err)}
}

// SQLite primary result codes dbError distinguishes.
const (
	sqliteBusy      = 5
	sqliteLocked    = 6
	sqliteInterrupt = 9
)

// sqliteCode is the primary result code of a SQLite error in err's chain, 0 when there
// is none. The driver's error type is matched by its Code method, not imported.
func sqliteCode(err error) int {
	var se interface{ Code() int }
	if errors.As(err, &se) {
		return se.Code() & 0xff
	}
	return 0
}

// pgCode is the SQLSTATE of a PostgreSQL error in err's chain, "" when there is none.
func pgCode(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

// contended reports whether err says other writers were in the way: what transact
// retries on PostgreSQL, and SQLite's database-is-locked once busy_timeout ran out.
func contended(err error) bool {
	c := sqliteCode(err)
	return retryable(err) || c == sqliteBusy || c == sqliteLocked
}

// unreachable reports whether err says the database cannot be reached or went away (a
// restart, a network fault), rather than that the request was wrong: a 503 the client
// may retry, not a 500.
func unreachable(err error) bool {
	var ce *pgconn.ConnectError
	var ne net.Error
	var pe *pgconn.PgError
	switch {
	case errors.As(err, &ce), errors.As(err, &ne), errors.Is(err, driver.ErrBadConn),
		errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF), errors.Is(err, syscall.ECONNREFUSED),
		errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE), pgconn.Timeout(err):
		return true
	case errors.As(err, &pe):
		// Class 08: connection exception; 57P01-57P03: shutting down or starting up;
		// 53300: too many connections.
		return strings.HasPrefix(pe.Code, "08") || pe.Code == "57P01" || pe.Code == "57P02" || pe.Code == "57P03" || pe.Code == "53300"
	}
	return strings.Contains(err.Error(), "conn closed") || strings.Contains(err.Error(), "connection refused")
}
