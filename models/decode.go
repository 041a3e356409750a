package models

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// DecodeStrict reads exactly one JSON value from r into v and rejects what a lenient
// decoder would let through silently: unknown members, duplicate members, member names
// that differ only in case, invalid UTF-8 and trailing data. The error is an *Error
// with code EINVALID, naming the offending member where possible.
func DecodeStrict(r io.Reader, v any) error {
	dec := jsontext.NewDecoder(r)
	if err := jsonv2.UnmarshalDecode(dec, v, jsonv2.RejectUnknownMembers(true)); err != nil {
		return decodeError(err)
	}
	if _, err := dec.ReadToken(); err != io.EOF {
		if err == nil {
			return Errorf(EINVALID, "invalid JSON: unexpected data after the value")
		}
		return decodeError(err)
	}
	return nil
}

// UnmarshalStrict is DecodeStrict over a byte slice.
func UnmarshalStrict(b []byte, v any) error {
	return DecodeStrict(bytes.NewReader(b), v)
}

func decodeError(err error) error {
	var me *Error
	if errors.As(err, &me) {
		return me
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return Errorf(EINVALID, "invalid JSON: the body ends too early")
	}
	var se *jsonv2.SemanticError
	if errors.As(err, &se) {
		field := pointerToField(string(se.JSONPointer))
		code, msg := EINVALID, "has the wrong type"
		switch {
		case errors.Is(se.Err, jsonv2.ErrUnknownName):
			return unknownMember(se, field)
		case se.Err != nil:
			// A value of the right JSON type that its Go type refused (a bad date, a
			// malformed reference): the body is well-formed, its content is not.
			code, msg = EUNPROCESSABLE, cleanMessage(se.Err.Error())
		case se.JSONKind != 0 && se.GoType != nil:
			msg = fmt.Sprintf("must not be %s", kindName(se.JSONKind))
		}
		if field == "" {
			return &Error{Code: code, Message: "invalid JSON: " + msg, Err: err}
		}
		return &Error{Code: code, Message: "invalid request body", Fields: []FieldError{{Field: field, Message: msg}}, Err: err}
	}
	var syn *jsontext.SyntacticError
	if errors.As(err, &syn) {
		return &Error{Code: EINVALID, Message: "invalid JSON: " + cleanMessage(syn.Err.Error()) +
			fmt.Sprintf(" (at byte %d)", syn.ByteOffset), Err: err}
	}
	return &Error{Code: EINVALID, Message: "invalid JSON", Err: err}
}

// unknownMember is the error for a member the decoded type does not have: the field
// error names it (with the member it most resembles, if any), and the detail lists the
// members a body sets in that object (BodyMembers, derived from the Go type being
// decoded), as a query's unknown parameter lists the known parameters.
func unknownMember(se *jsonv2.SemanticError, field string) error {
	ptr := string(se.JSONPointer)
	name := ptr[strings.LastIndexByte(ptr, '/')+1:]
	name = strings.ReplaceAll(strings.ReplaceAll(name, "~1", "/"), "~0", "~")
	known := BodyMembers(se.GoType)
	msg, detail := "is not a known field", "invalid request body"
	if s := closest(name, known); s != "" {
		msg += fmt.Sprintf("; did you mean %q?", s)
	}
	if len(known) > 0 {
		where := "here"
		if parent := pointerToField(ptr[:strings.LastIndexByte(ptr, '/')]); parent != "" {
			where = "in " + parent
		}
		detail += fmt.Sprintf("; the fields a body sets %s are %s", where, strings.Join(known, ", "))
	}
	if field == "" {
		field = name
	}
	return &Error{Code: EINVALID, Message: detail, Fields: []FieldError{{Field: field, Message: msg}}, Err: se}
}

// BodyMembers lists the members a request body sets in an object of struct type t (or
// a pointer to one), in declaration order: the writable ones of Members, not those the
// server sets nor those holding entities. It is nil for a type that is not a struct.
func BodyMembers(t reflect.Type) []string {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil || t.Kind() != reflect.Struct {
		return nil
	}
	var out []string
	for _, m := range Members(t) {
		if m.Writable() {
			out = append(out, m.Name)
		}
	}
	return out
}

// closest is the member name most like name: the same but for case, or within
// two edits ("titel" -> "title"); "" when none is that close.
func closest(name string, known []string) string {
	best, bestD := "", 3
	for _, k := range known {
		if strings.EqualFold(k, name) {
			return k
		}
		if d := editDistance(strings.ToLower(name), strings.ToLower(k)); d < bestD && d < len(k)/2+1 {
			best, bestD = k, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between two short names (in bytes).
func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 64
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// pointerToField turns a JSON pointer ("/participants/0/role") into the dotted form the
// validation errors use ("participants[0].role").
func pointerToField(ptr string) string {
	var b strings.Builder
	for _, seg := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		if seg == "" {
			continue
		}
		seg = strings.ReplaceAll(strings.ReplaceAll(seg, "~1", "/"), "~0", "~")
		if _, err := strconv.Atoi(seg); err == nil {
			b.WriteString("[" + seg + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(seg)
	}
	return b.String()
}

func cleanMessage(s string) string {
	s = strings.TrimPrefix(s, "jsontext: ")
	s = strings.TrimPrefix(s, "json: ")
	return s
}

func kindName(k jsontext.Kind) string {
	switch k {
	case 'n':
		return "null"
	case 'f', 't':
		return "a boolean"
	case '"':
		return "a string"
	case '0':
		return "a number"
	case '{':
		return "an object"
	case '[':
		return "an array"
	}
	return "this type"
}
