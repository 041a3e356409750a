package models

import (
	"bytes"
	"errors"
	"fmt"
	"io"
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
			msg = "is not a known field"
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
