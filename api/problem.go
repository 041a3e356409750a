package api

import (
	"context"
	"errors"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/parley-api/parley/handlers"
	"github.com/parley-api/parley/models"
)

// statusOf is the one mapping from error codes to HTTP statuses.
var statusOf = map[models.ErrorCode]int{
	models.ENOTFOUND:        http.StatusNotFound,
	models.ECONFLICT:        http.StatusConflict,
	models.EINVALID:         http.StatusBadRequest,
	models.EUNPROCESSABLE:   http.StatusUnprocessableEntity,
	models.EPRECONDITION:    http.StatusPreconditionFailed,
	models.EPRECONDREQUIRED: http.StatusPreconditionRequired,
	models.ETOOLARGE:        http.StatusRequestEntityTooLarge,
	models.EMETHOD:          http.StatusMethodNotAllowed,
	models.EUNSUPPORTED:     http.StatusUnsupportedMediaType,
	models.EUNAUTHORIZED:    http.StatusUnauthorized,
	models.EFORBIDDEN:       http.StatusForbidden,
	models.ETOOMANY:         http.StatusTooManyRequests,
	models.EUNAVAILABLE:     http.StatusServiceUnavailable,
	models.EINTERNAL:        http.StatusInternalServerError,
}

// fail is handlers.Fail, for the middleware.
var fail = handlers.Fail

// ProblemContentType is the media type of RFC 9457 error bodies.
const ProblemContentType = "application/problem+json"

// statusClientClosed is the status logged and counted for a request whose client
// went away before its answer (nginx's 499): not a server error, and nobody reads it.
const statusClientClosed = 499

// retryAfter is the Retry-After of a 503: contention and a busy or restarting database
// usually clear within seconds.
const retryAfter = "2"

// problems renders the last error a handler recorded as problem+json. Internal errors
// are logged with their cause and shown to the client only as "internal error". A
// request whose client closed it failed because of that, whatever the error says (a
// database error on SQLite, whose statements are interrupted): it is a 499, not logged as
// a failure.
func problems(log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		// The context as the server made it: the request's time limit, set further in,
		// is cancelled once the handler returns, the client's stays as the client left it.
		outer := c.Request.Context()
		c.Next()
		if len(c.Errors) == 0 || c.Writer.Written() {
			return
		}
		err := c.Errors.Last().Err
		var me *models.Error
		if !errors.As(err, &me) {
			me = &models.Error{Code: models.EINTERNAL, Message: "internal error", Err: err}
		}
		if errors.Is(outer.Err(), context.Canceled) && (me.Code == models.EINTERNAL || me.Code == models.EUNAVAILABLE) {
			log.InfoContext(c.Request.Context(), "request cancelled by the client", "error", err.Error(),
				"request_id", c.GetString(requestIDKey), "path", c.Request.URL.Path)
			c.Status(statusClientClosed)
			return
		}
		if me.Code == models.EINTERNAL || me.Code == models.EUNAVAILABLE {
			log.ErrorContext(c.Request.Context(), "request failed", "error", err.Error(),
				"request_id", c.GetString(requestIDKey), "path", c.Request.URL.Path)
		}
		writeProblem(c, me)
	}
}

func writeProblem(c *gin.Context, me *models.Error) {
	me = me.Bounded()
	status, ok := statusOf[me.Code]
	if !ok {
		status = http.StatusInternalServerError
	}
	detail := me.Message
	if status == http.StatusInternalServerError {
		detail = "internal error"
	}
	c.Header("Content-Type", ProblemContentType)
	c.Header("Cache-Control", "no-store")
	if status == http.StatusServiceUnavailable && c.Writer.Header().Get("Retry-After") == "" {
		c.Header("Retry-After", retryAfter)
	}
	c.JSON(status, handlers.Problem{
		Type:      "urn:parley:problem:" + string(me.Code),
		Title:     http.StatusText(status),
		Status:    status,
		Detail:    detail,
		Instance:  c.Request.URL.Path,
		Errors:    me.Fields,
		RequestID: c.GetString(requestIDKey),
	})
}
