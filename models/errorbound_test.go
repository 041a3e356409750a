package models_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/parley-api/parley/models"
)

// encodedSize is the size of the error's fields and message as a response encodes them.
func encodedSize(t *testing.T, e *models.Error) int {
	t.Helper()
	b, err := json.Marshal(struct {
		Detail string              `json:"detail"`
		Errors []models.FieldError `json:"errors"`
	}{e.Message, e.Fields})
	if err != nil {
		t.Fatal(err)
	}
	return len(b)
}

// maxEncoded is the most an error within the bounds can encode to: the detail, and
// MaxFieldErrors field errors and a summary, with the JSON around them.
const maxEncoded = models.MaxMessageLen + (models.MaxFieldErrors+1)*(models.MaxFieldLen+models.MaxFieldMessageLen+30) + 30

// asError unwraps a Validation's result.
func asError(t *testing.T, err error) *models.Error {
	t.Helper()
	var e *models.Error
	if !errors.As(err, &e) {
		t.Fatalf("%v is not a *models.Error", err)
	}
	return e
}

// TestValidationBounded: however many field errors are added, a Validation keeps the
// first MaxFieldErrors in field order (as a stable sort of them all would list them),
// then one entry counting the rest; each text is clipped by its encoded size, escapes
// included; and the known-parameter note appears once in the message.
func TestValidationBounded(t *testing.T) {
	t.Parallel()
	v := models.NewValidation(models.EINVALID)
	// Added in reverse order: the kept ones are the first by field, not by arrival.
	for i := 9999; i >= 0; i-- {
		v.Add(fmt.Sprintf("p%05d", i), "is not a known parameter here")
		v.Note("the parameters known here are a, b")
	}
	e := asError(t, v.Err())
	if len(e.Fields) != models.MaxFieldErrors+1 {
		t.Fatalf("%d field errors, want %d", len(e.Fields), models.MaxFieldErrors+1)
	}
	for i := range models.MaxFieldErrors {
		if want := fmt.Sprintf("p%05d", i); e.Fields[i].Field != want {
			t.Errorf("field %d = %q, want %q", i, e.Fields[i].Field, want)
		}
	}
	if last := e.Fields[models.MaxFieldErrors]; last.Field != "" || last.Message != "and 9,980 more errors" {
		t.Errorf("summary %+v", last)
	}
	if e.Message != "invalid request parameters; the parameters known here are a, b" {
		t.Errorf("message %q", e.Message)
	}

	// Same field many times: insertion order kept among equals.
	v = models.NewValidation(models.EINVALID)
	for i := range 10000 {
		v.Add("type", "%q is not one of [meeting call]", fmt.Sprintf("bad%05d", i))
	}
	v.Add("actor", "first by field")
	e = asError(t, v.Err())
	if e.Fields[0].Field != "actor" || !strings.Contains(e.Fields[1].Message, "bad00000") ||
		!strings.Contains(e.Fields[models.MaxFieldErrors-1].Message, "bad00018") ||
		e.Fields[models.MaxFieldErrors].Message != "and 9,981 more errors" {
		t.Errorf("same field: %+v", e.Fields)
	}

	// Long and hostile texts: clipped by what they encode to.
	for _, unit := range []string{"x", "<", "\x01", "\xff", "é", "\"", "\u2028"} {
		v = models.NewValidation(models.EUNPROCESSABLE)
		long := strings.Repeat(unit, 20000)
		for range 25 {
			v.Add(long, "%q is not valid", long)
		}
		v.Note("%s", long)
		e = asError(t, v.Err())
		if n := encodedSize(t, e); n > maxEncoded {
			t.Errorf("%q: encodes to %d bytes, over %d", unit, n, maxEncoded)
		}
		if !utf8.ValidString(e.Fields[0].Field) || !utf8.ValidString(e.Fields[0].Message) || !utf8.ValidString(e.Message) {
			t.Errorf("%q: clipped texts are not UTF-8: %q / %q", unit, e.Fields[0].Field, e.Message)
		}
		// Invalid UTF-8 collapses to one replacement character; anything else is cut.
		if utf8.ValidString(unit) && (!strings.HasSuffix(e.Fields[0].Field, "…") || !strings.HasSuffix(e.Message, "…")) {
			t.Errorf("%q: clipped texts %q / %q", unit, e.Fields[0].Field, e.Message)
		}
	}

	// One error, or none, is as it was.
	v = models.NewValidation(models.EUNPROCESSABLE)
	if v.Err() != nil {
		t.Error("an empty validation is an error")
	}
	v.Add("name", "is required")
	if e := asError(t, v.Err()); len(e.Fields) != 1 || e.Fields[0].Field != "name" || e.Fields[0].Message != "is required" || e.Message != "validation failed" {
		t.Errorf("one error: %+v", e)
	}
}

// TestErrorBounded: an error built by hand is cut to the same bounds by Bounded; one
// within them (and a Validation's, summary included) comes back as it is.
func TestErrorBounded(t *testing.T) {
	t.Parallel()
	e := &models.Error{Code: models.EINVALID, Message: strings.Repeat("&", 5000)}
	for i := range 500 {
		e.Fields = append(e.Fields, models.FieldError{Field: strings.Repeat("f", 1000) + fmt.Sprint(i), Message: strings.Repeat(">", 1000)})
	}
	b := e.Bounded()
	if len(b.Fields) != models.MaxFieldErrors+1 || b.Fields[models.MaxFieldErrors].Message != "and 480 more errors" {
		t.Errorf("bounded fields: %d, last %+v", len(b.Fields), b.Fields[len(b.Fields)-1])
	}
	if n := encodedSize(t, b); n > maxEncoded {
		t.Errorf("encodes to %d bytes, over %d", n, maxEncoded)
	}
	if len(e.Fields) != 500 {
		t.Error("Bounded changed its receiver")
	}
	v := models.NewValidation(models.EINVALID)
	for i := range 100 {
		v.Add(fmt.Sprint(i), "bad")
	}
	within := asError(t, v.Err())
	if within.Bounded() != within {
		t.Error("a Validation's error was cut again")
	}
}

// TestValidationOrderAndMerge: field errors are listed with indices in numeric order,
// and merging a bounded error counts what it left out instead of listing its summary.
func TestValidationOrderAndMerge(t *testing.T) {
	t.Parallel()
	v := models.NewValidation(models.EUNPROCESSABLE)
	for _, f := range []string{"x[10]", "x[2]", "x[1].a", "x[1]", "x", "x[02]b", "w"} {
		v.Add(f, "bad")
	}
	var got []string
	for _, f := range asError(t, v.Err()).Fields {
		got = append(got, f.Field)
	}
	if want := "w x x[1] x[1].a x[2] x[02]b x[10]"; strings.Join(got, " ") != want {
		t.Errorf("order %q, want %q", got, want)
	}

	inner := models.NewValidation(models.EUNPROCESSABLE)
	for i := range 100 {
		inner.Add(fmt.Sprintf("[%d].role", i), "bad")
	}
	outer := models.NewValidation(models.EUNPROCESSABLE)
	outer.Merge("participants", inner.Err())
	outer.Add("title", "is required")
	e := asError(t, outer.Err())
	if len(e.Fields) != models.MaxFieldErrors+1 || e.Fields[0].Field != "participants[0].role" ||
		e.Fields[models.MaxFieldErrors].Message != "and 81 more errors" {
		t.Errorf("merged: %+v", e.Fields)
	}
	for _, f := range e.Fields[:models.MaxFieldErrors] {
		if strings.Contains(f.Message, "more errors") {
			t.Errorf("a merged summary listed as an error: %+v", f)
		}
	}
}
