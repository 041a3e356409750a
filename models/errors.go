package models

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// ErrorCode classifies an Error; the API maps each code to one HTTP status.
type ErrorCode string

// The error codes. They name what went wrong for the caller, not where.
const (
	// ENOTFOUND: the addressed entity does not exist.
	ENOTFOUND ErrorCode = "not_found"
	// ECONFLICT: the write collides with existing data (a taken slug, a referenced entity).
	ECONFLICT ErrorCode = "conflict"
	// EINVALID: the request itself is malformed (bad query value, bad cursor, broken JSON).
	EINVALID ErrorCode = "invalid"
	// EUNPROCESSABLE: the body is well-formed but its content fails validation or refers
	// to something missing.
	EUNPROCESSABLE ErrorCode = "unprocessable"
	// EPRECONDITION: an If-Match precondition did not hold (stale version).
	EPRECONDITION ErrorCode = "precondition_failed"
	// EPRECONDREQUIRED: a change came without If-Match, so it could overwrite an edit
	// its sender never saw.
	EPRECONDREQUIRED ErrorCode = "precondition_required"
	// EUNSUPPORTED: the body is not in a media type the endpoint accepts.
	EUNSUPPORTED ErrorCode = "unsupported_media_type"
	// EMETHOD: the endpoint exists but not with this HTTP method.
	EMETHOD ErrorCode = "method_not_allowed"
	// ETOOLARGE: the request body exceeds the limit.
	ETOOLARGE ErrorCode = "too_large"
	// EUNAUTHORIZED: credentials are missing or wrong.
	EUNAUTHORIZED ErrorCode = "unauthorized"
	// EFORBIDDEN: the credentials lack the scope.
	EFORBIDDEN ErrorCode = "forbidden"
	// ETOOMANY: the client went over its rate limit.
	ETOOMANY ErrorCode = "too_many_requests"
	// EUNAVAILABLE: a dependency (the database) cannot serve the request now.
	EUNAVAILABLE ErrorCode = "unavailable"
	// EINTERNAL: a bug or an unexpected failure; its detail is never shown to clients.
	EINTERNAL ErrorCode = "internal"
)

// FieldError names one invalid field of a request, in JSON-pointer-like dotted form
// ("participants[1].role") so clients can point at the input that caused it.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error is the one error type that crosses package boundaries: a code, a message safe to
// show to a client, and per-field details for validation failures.
type Error struct {
	Code    ErrorCode
	Message string
	Fields  []FieldError
	// Err is the underlying cause, kept for logs; never shown to clients.
	Err error
}

// Error implements error.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(string(e.Code))
	b.WriteString(": ")
	b.WriteString(e.Message)
	for _, f := range e.Fields {
		fmt.Fprintf(&b, "; %s: %s", f.Field, f.Message)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap exposes the cause to errors.Is and errors.As.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an Error with a formatted client-safe message.
func Errorf(code ErrorCode, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// NotFound reports that an entity of the given kind addressed by ref does not exist.
func NotFound(kind, ref string) *Error {
	return Errorf(ENOTFOUND, "%s %q not found", kind, ref)
}

// ErrorCodeOf returns the code of err: "" for nil, EINTERNAL for errors that are not *Error.
func ErrorCodeOf(err error) ErrorCode {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// Validation collects field errors while checking an input, so that a client learns
// about every problem at once instead of one per request.
type Validation struct {
	code   ErrorCode
	fields []FieldError
}

// NewValidation starts a collection whose resulting error carries code (EUNPROCESSABLE
// for bodies, EINVALID for query parameters).
func NewValidation(code ErrorCode) *Validation { return &Validation{code: code} }

// Add records a problem with field.
func (v *Validation) Add(field, format string, args ...any) {
	v.fields = append(v.fields, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// Merge adds the field errors of err (an *Error) under prefix, or the error text itself.
func (v *Validation) Merge(prefix string, err error) {
	var e *Error
	if errors.As(err, &e) && len(e.Fields) > 0 {
		for _, f := range e.Fields {
			v.fields = append(v.fields, FieldError{Field: joinField(prefix, f.Field), Message: f.Message})
		}
		return
	}
	if errors.As(err, &e) {
		v.Add(prefix, "%s", e.Message)
		return
	}
	v.Add(prefix, "%s", err.Error())
}

func joinField(prefix, field string) string {
	switch {
	case prefix == "":
		return field
	case field == "":
		return prefix
	case strings.HasPrefix(field, "["):
		return prefix + field
	}
	return prefix + "." + field
}

// Err returns nil if nothing was added, else an *Error listing the fields in order.
func (v *Validation) Err() error {
	if len(v.fields) == 0 {
		return nil
	}
	fields := append([]FieldError(nil), v.fields...)
	sort.SliceStable(fields, func(i, j int) bool { return fields[i].Field < fields[j].Field })
	msg := "validation failed"
	if v.code == EINVALID {
		msg = "invalid request parameters"
	}
	return &Error{Code: v.code, Message: msg, Fields: fields}
}
