package models

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"
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
	// Suggestions are what the client may have meant when the field names something
	// that does not exist: the closest existing slugs, best first.
	Suggestions []string `json:"suggestions,omitempty"`
}

// MaxSuggestions bounds the suggestions of a field error.
const MaxSuggestions = 5

// Error is the one error type that crosses package boundaries: a code, a message safe to
// show to a client, and per-field details for validation failures.
type Error struct {
	Code    ErrorCode
	Message string
	Fields  []FieldError
	// Err is the underlying cause, kept for logs; never shown to clients.
	Err error
	// omitted counts the field errors left out of a bounded Fields, whose last entry
	// then says how many; Merge adds them to its own count rather than as an entry.
	omitted int
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

// The bounds of an error as clients see it, so that no problem body grows with the
// input that caused it (10,000 unknown query parameters once gave a 1.85 MB 400).
// Texts are measured by their JSON encoding, escapes included.
const (
	// MaxFieldErrors is how many field errors an error lists; the rest are counted in
	// one last entry ("and 9,980 more errors").
	MaxFieldErrors = 20
	// MaxFieldLen bounds a field name, which may echo a client's parameter name.
	MaxFieldLen = 100
	// MaxFieldMessageLen bounds a field error's message, which may echo a value.
	MaxFieldMessageLen = 300
	// MaxMessageLen bounds an error's message (the problem's detail).
	MaxMessageLen = 1000
)

// Bounded returns e cut to the bounds above: at most MaxFieldErrors field errors and a
// summary entry counting the others, each text clipped to its length. An error within
// them is returned as it is. The problem responses pass every error through it.
func (e *Error) Bounded() *Error {
	within := len(e.Fields) <= MaxFieldErrors+1 && jsonSize(e.Message) <= MaxMessageLen
	for i := 0; within && i < len(e.Fields); i++ {
		f := e.Fields[i]
		within = jsonSize(f.Field) <= MaxFieldLen && jsonSize(f.Message) <= MaxFieldMessageLen && len(f.Suggestions) <= MaxSuggestions
		for _, s := range f.Suggestions {
			within = within && jsonSize(s) <= MaxFieldLen
		}
	}
	if within {
		return e
	}
	out := *e
	out.Message = clip(e.Message, MaxMessageLen)
	fields, rest := e.Fields, 0
	if e.omitted > 0 { // bounded before: the last entry counts what was left out then
		fields, rest = fields[:len(fields)-1], e.omitted
	}
	n := min(len(fields), MaxFieldErrors)
	rest += len(fields) - n
	out.Fields = make([]FieldError, 0, n+1)
	for _, f := range fields[:n] {
		out.Fields = append(out.Fields, clipField(f))
	}
	out.omitted = rest
	if rest > 0 {
		out.Fields = append(out.Fields, moreErrors(rest))
	}
	return &out
}

// clipField bounds a field error's name, message and suggestions.
func clipField(f FieldError) FieldError {
	out := FieldError{Field: clip(f.Field, MaxFieldLen), Message: clip(f.Message, MaxFieldMessageLen)}
	for _, s := range f.Suggestions[:min(len(f.Suggestions), MaxSuggestions)] {
		out.Suggestions = append(out.Suggestions, clip(s, MaxFieldLen))
	}
	return out
}

// moreErrors is the summary entry for n field errors left out.
func moreErrors(n int) FieldError {
	noun := "errors"
	if n == 1 {
		noun = "error"
	}
	return FieldError{Message: "and " + groupThousands(n) + " more " + noun}
}

// groupThousands writes n with commas between groups of three digits: 9,980.
func groupThousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// jsonRuneSize is how many bytes encoding/json (which escapes HTML, as the API's
// responses do) writes for r.
func jsonRuneSize(r rune) int {
	switch {
	case r == '"' || r == '\\' || r == '\n' || r == '\r' || r == '\t':
		return 2
	case r < 0x20 || r == '<' || r == '>' || r == '&' || r == '\u2028' || r == '\u2029':
		return 6
	}
	return utf8.RuneLen(r)
}

// jsonSize is the encoded size of s, invalid UTF-8 counted as the replacement
// character encoding/json writes for it.
func jsonSize(s string) int {
	n := 0
	for i, r := range s {
		if r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD") {
			n += 6 // encoding/json writes an invalid byte as \ufffd
			continue
		}
		n += jsonRuneSize(r)
	}
	return n
}

// clip cuts s to at most max encoded bytes, marking the cut with "…"; invalid UTF-8
// becomes the replacement character, as it would in the response anyway.
func clip(s string, max int) string {
	if jsonSize(s) <= max {
		return s
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	const mark = "…"
	n := 0
	for i, r := range s {
		if n += jsonRuneSize(r); n > max-len(mark) {
			return s[:i] + mark
		}
	}
	return s
}

// Validation collects field errors while checking an input, so that a client learns
// about every problem at once instead of one per request. It keeps the first
// MaxFieldErrors in field order (the ones Err lists) and counts the others, so that
// neither its memory nor the error grows with the input.
type Validation struct {
	code   ErrorCode
	fields []FieldError // sorted by field, stably; at most MaxFieldErrors, each clipped
	total  int          // every field error added
	notes  []string
}

// NewValidation starts a collection whose resulting error carries code (EUNPROCESSABLE
// for bodies, EINVALID for query parameters).
func NewValidation(code ErrorCode) *Validation { return &Validation{code: code} }

// Add records a problem with field.
func (v *Validation) Add(field, format string, args ...any) {
	v.add(FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// Suggest records a problem with field and what the client may have meant.
func (v *Validation) Suggest(field string, suggestions []string, format string, args ...any) {
	v.add(FieldError{Field: field, Message: fmt.Sprintf(format, args...), Suggestions: suggestions})
}

// add inserts f after the fields that sort before it or equal it (as a stable sort of
// everything added would place it) and drops whatever falls beyond MaxFieldErrors.
func (v *Validation) add(f FieldError) {
	v.total++
	f = clipField(f)
	i := sort.Search(len(v.fields), func(i int) bool { return fieldLess(f.Field, v.fields[i].Field) })
	if i >= MaxFieldErrors {
		return
	}
	v.fields = slices.Insert(v.fields, i, f)
	if len(v.fields) > MaxFieldErrors {
		v.fields = v.fields[:MaxFieldErrors]
	}
}

// fieldLess orders field names as people read them: runs of digits by their value, so
// that participants[2] comes before participants[10]; everything else byte by byte.
func fieldLess(a, b string) bool {
	for a != "" && b != "" {
		da, db := digitRun(a), digitRun(b)
		if da > 0 && db > 0 {
			na, nb := strings.TrimLeft(a[:da], "0"), strings.TrimLeft(b[:db], "0")
			if len(na) != len(nb) {
				return len(na) < len(nb)
			}
			if na != nb {
				return na < nb
			}
			a, b = a[da:], b[db:]
			continue
		}
		if a[0] != b[0] {
			return a[0] < b[0]
		}
		a, b = a[1:], b[1:]
	}
	return a == "" && b != ""
}

// digitRun is the length of the run of ASCII digits that starts s.
func digitRun(s string) int {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return n
}

// Note adds a sentence to the error's message, once however often it is noted: what
// every field error would otherwise repeat (the parameters an endpoint knows).
func (v *Validation) Note(format string, args ...any) {
	if n := fmt.Sprintf(format, args...); !slices.Contains(v.notes, n) {
		v.notes = append(v.notes, n)
	}
}

// Merge adds the field errors of err (an *Error) under prefix, or the error text itself.
func (v *Validation) Merge(prefix string, err error) {
	var e *Error
	if errors.As(err, &e) && len(e.Fields) > 0 {
		fields := e.Fields
		if e.omitted > 0 { // a bounded error: its last entry counts the omitted ones
			fields = fields[:len(fields)-1]
			v.total += e.omitted
		}
		for _, f := range fields {
			v.add(FieldError{Field: joinField(prefix, f.Field), Message: f.Message, Suggestions: f.Suggestions})
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

// Err returns nil if nothing was added, else an *Error listing the fields in order: the
// first MaxFieldErrors, then one entry counting the others.
func (v *Validation) Err() error {
	if v.total == 0 {
		return nil
	}
	fields := slices.Clone(v.fields)
	rest := v.total - len(fields)
	if rest > 0 {
		fields = append(fields, moreErrors(rest))
	}
	msg := "validation failed"
	if v.code == EINVALID {
		msg = "invalid request parameters"
	}
	for _, n := range v.notes {
		msg += "; " + n
	}
	return &Error{Code: v.code, Message: clip(msg, MaxMessageLen), Fields: fields, omitted: rest}
}
