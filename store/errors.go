package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/parley-api/parley/models"
	"gorm.io/gorm"
)

// dbError turns a driver or GORM error into a *models.Error. Constraint violations that
// pre-checks did not catch (a concurrent writer) become conflicts; cancellations and
// everything else stay internal, with the cause kept for the log.
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
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return &models.Error{Code: models.EUNAVAILABLE, Message: "the request was cancelled or timed out", Err: err}
	}
	return &models.Error{Code: models.EINTERNAL, Message: "internal error", Err: fmt.Errorf("%s: %w", what, err)}
}
