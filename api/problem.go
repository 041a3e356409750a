package api

import (
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

// fail records err for the problems middleware and stops the chain.
func fail(c *gin.Context, err error) {
	_ = c.Error(err)
	c.Abort()
}

// ProblemContentType is the media type of RFC 9457 error bodies.
const ProblemContentType = "application/problem+json"

// problems renders the last error a handler recorded as problem+json. Internal errors
// are logged with their cause and shown to the client only as "internal error".
func problems(log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Next()
		if len(c.Errors) == 0 || c.Writer.Written() {
			return
		}
		err := c.Errors.Last().Err
		var me *models.Error
		if !errors.As(err, &me) {
			me = &models.Error{Code: models.EINTERNAL, Message: "internal error", Err: err}
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
