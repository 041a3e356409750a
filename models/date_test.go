package models

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// dateTS parses an RFC 3339 instant for expectations.
func dateTS(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatalf("bad test instant %q: %v", s, err)
	}
	return v.UTC()
}

// dateEqual compares two Dates field by field, including that both instants are UTC.
func dateEqual(a, b Date) bool {
	return a.EDTF == b.EDTF && a.Start.Equal(b.Start) && a.End.Equal(b.End) &&
		a.Start.Location() == b.Start.Location() && a.End.Location() == b.End.Location() &&
		a.Precision == b.Precision && a.Approximate == b.Approximate && a.Uncertain == b.Uncertain
}

func TestParseDateAccepted(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in          string
		start, end  string
		precision   Precision
		approximate bool
		uncertain   bool
	}{
		// Single forms.
		{"2025", "2025-01-01T00:00:00Z", "2026-01-01T00:00:00Z", PrecisionYear, false, false},
		{"2025-08", "2025-08-01T00:00:00Z", "2025-09-01T00:00:00Z", PrecisionMonth, false, false},
		{"2025-12", "2025-12-01T00:00:00Z", "2026-01-01T00:00:00Z", PrecisionMonth, false, false},
		{"2026-01-23", "2026-01-23T00:00:00Z", "2026-01-24T00:00:00Z", PrecisionDay, false, false},
		{"2024-02-29", "2024-02-29T00:00:00Z", "2024-03-01T00:00:00Z", PrecisionDay, false, false},
		{"2000-02-29", "2000-02-29T00:00:00Z", "2000-03-01T00:00:00Z", PrecisionDay, false, false},
		{"2025-12-31", "2025-12-31T00:00:00Z", "2026-01-01T00:00:00Z", PrecisionDay, false, false},
		{"2026-01-23T22:30", "2026-01-23T22:30:00Z", "2026-01-23T22:31:00Z", PrecisionMinute, false, false},
		{"2026-01-23T22:30Z", "2026-01-23T22:30:00Z", "2026-01-23T22:31:00Z", PrecisionMinute, false, false},
		{"2026-01-23T22:30+03:00", "2026-01-23T19:30:00Z", "2026-01-23T19:31:00Z", PrecisionMinute, false, false},
		{"2026-01-23T22:30:15", "2026-01-23T22:30:15Z", "2026-01-23T22:30:16Z", PrecisionSecond, false, false},
		{"2026-01-23T22:30:00Z", "2026-01-23T22:30:00Z", "2026-01-23T22:30:01Z", PrecisionSecond, false, false},
		{"2026-01-23T22:30:00+03:00", "2026-01-23T19:30:00Z", "2026-01-23T19:30:01Z", PrecisionSecond, false, false},
		{"2026-01-23T22:30:00-05:30", "2026-01-24T04:00:00Z", "2026-01-24T04:00:01Z", PrecisionSecond, false, false},
		{"2026-01-01T01:00+14:00", "2025-12-31T11:00:00Z", "2025-12-31T11:01:00Z", PrecisionMinute, false, false},
		{"2026-01-23T23:59:59-14:00", "2026-01-24T13:59:59Z", "2026-01-24T14:00:00Z", PrecisionSecond, false, false},
		{"2026-01-23T00:00-00:00", "2026-01-23T00:00:00Z", "2026-01-23T00:01:00Z", PrecisionMinute, false, false},
		{"0001", "0001-01-01T00:00:00Z", "0002-01-01T00:00:00Z", PrecisionYear, false, false},
		{"9998-12-31", "9998-12-31T00:00:00Z", "9999-01-01T00:00:00Z", PrecisionDay, false, false},

		// Qualifiers.
		{"2026?", "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z", PrecisionYear, false, true},
		{"2025-08~", "2025-08-01T00:00:00Z", "2025-09-01T00:00:00Z", PrecisionMonth, true, false},
		{"2026-01-23%", "2026-01-23T00:00:00Z", "2026-01-24T00:00:00Z", PrecisionDay, true, true},

		// Intervals.
		{"2026-01-23/2026-01-24", "2026-01-23T00:00:00Z", "2026-01-25T00:00:00Z", PrecisionDay, false, false},
		{"2026-01-23/2026-01-23", "2026-01-23T00:00:00Z", "2026-01-24T00:00:00Z", PrecisionDay, false, false},
		{"2025/2026", "2025-01-01T00:00:00Z", "2027-01-01T00:00:00Z", PrecisionYear, false, false},
		{"2025-08/2025-09-15", "2025-08-01T00:00:00Z", "2025-09-16T00:00:00Z", PrecisionMonth, false, false},
		{"2025-08-15/2026", "2025-08-15T00:00:00Z", "2027-01-01T00:00:00Z", PrecisionYear, false, false},
		{"2026-01-23T22:30/2026-01-24T01:15:30", "2026-01-23T22:30:00Z", "2026-01-24T01:15:31Z", PrecisionMinute, false, false},
		{"2026-01-23T22:30:00+03:00/2026-01-23T23:00:00+03:00", "2026-01-23T19:30:00Z", "2026-01-23T20:00:01Z", PrecisionSecond, false, false},
		{"2026-01-23/2026-01-23T05:00Z", "2026-01-23T00:00:00Z", "2026-01-23T05:01:00Z", PrecisionDay, false, false},
		{"2025-08~/2025-09", "2025-08-01T00:00:00Z", "2025-10-01T00:00:00Z", PrecisionMonth, true, false},
		{"2025/2026?", "2025-01-01T00:00:00Z", "2027-01-01T00:00:00Z", PrecisionYear, false, true},
		{"2025-06~/2025-07-01?", "2025-06-01T00:00:00Z", "2025-07-02T00:00:00Z", PrecisionMonth, true, true},
		{"2025%/2026-02-01", "2025-01-01T00:00:00Z", "2026-02-02T00:00:00Z", PrecisionYear, true, true},
		// The end only has to end after the start begins (the brief's rule).
		{"2026-01-23/2026-01", "2026-01-23T00:00:00Z", "2026-02-01T00:00:00Z", PrecisionMonth, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			d, err := ParseDate(tt.in)
			if err != nil {
				t.Fatalf("ParseDate(%q): %v", tt.in, err)
			}
			want := Date{EDTF: tt.in, Start: dateTS(t, tt.start), End: dateTS(t, tt.end), Precision: tt.precision,
				Approximate: tt.approximate, Uncertain: tt.uncertain}
			if !dateEqual(d, want) {
				t.Errorf("ParseDate(%q)\n got  %+v\n want %+v", tt.in, d, want)
			}
			if d.String() != tt.in {
				t.Errorf("String() = %q, want %q", d.String(), tt.in)
			}
			if d.Start.Nanosecond() != 0 || d.End.Nanosecond() != 0 {
				t.Errorf("sub-second part in %v / %v", d.Start, d.End)
			}
			if d.Start.Location() != time.UTC || d.End.Location() != time.UTC {
				t.Errorf("not UTC: %v / %v", d.Start.Location(), d.End.Location())
			}
			if d.IsZero() {
				t.Errorf("IsZero() = true for a parsed date")
			}
			if got := MustParseDate(tt.in); !dateEqual(got, d) {
				t.Errorf("MustParseDate differs: %+v", got)
			}
		})
	}
}

func TestParseDateRejected(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want string
	}{
		{"", "empty"},
		{" 2025", "whitespace is not allowed"},
		{"2025 ", "whitespace is not allowed"},
		{"2025\n", "whitespace is not allowed"},
		{"2025 / 2026", "whitespace is not allowed"},
		{"2025-13", "month must be 01-12"},
		{"2025-00", "month must be 01-12"},
		{"2025-8", "month must have 2 digits"},
		{"2025-02-30", "day must be 01-28 in 2025-02"},
		{"2024-02-30", "day must be 01-29 in 2024-02"},
		{"2025-04-31", "day must be 01-30 in 2025-04"},
		{"2025-01-00", "day must be 01-31 in 2025-01"},
		{"2025-01-1", "day must have 2 digits"},
		{"25", "year must have 4 digits"},
		{"20250", "year must have 4 digits"},
		{"0000", "between the years 0001 and 9998"},
		{"9999", "between the years 0001 and 9998"},
		{"9998-12-31T23:00-02:00", "between the years 0001 and 9998"},
		{"0001-01-01T00:30+01:00", "between the years 0001 and 9998"},
		{"-2025", "year must be 0000-9999"},
		{"+2025", "year must be 0000-9999"},
		{"Y12345", "year must be 0000-9999"},
		{"2026-01-23T24:00", "hour must be 00-23"},
		{"2026-01-23T22:60", "minute must be 00-59"},
		{"2026-01-23T22:30:60", "second must be 00-59"},
		{"2026-01-23T22", "time must be hh:mm or hh:mm:ss"},
		{"2026-01-23T2230", "time must be hh:mm or hh:mm:ss"},
		{"2026-01-23T22:30:0", "time must be hh:mm or hh:mm:ss"},
		{"2026-01-23T22:30:00.5", "fractional seconds are not supported"},
		{"2026-01-23T22:30:00,5Z", "fractional seconds are not supported"},
		{"2026-01-23T22:30+14:30", "offset must be between -14:00 and +14:00"},
		{"2026-01-23T22:30-15:00", "offset must be between -14:00 and +14:00"},
		{"2026-01-23T22:30+03:60", "offset minutes must be 00-59"},
		{"2026-01-23T22:30+0300", "offset must be Z or ±hh:mm"},
		{"2026-01-23T22:30+03", "offset must be Z or ±hh:mm"},
		{"2026-01-23T22:30z", "offset must be Z or ±hh:mm"},
		{"2026-01-23Z", "expected YYYY"},
		{"2026-01-23 22:30", "whitespace is not allowed"},
		{"2026-01-23t22:30", "expected YYYY"},
		{"2025-W05", "week dates are not supported"},
		{"2025-W05-3", "week dates are not supported"},
		{"2025-21", "seasons are not supported"},
		{"2025-24~", "seasons are not supported"},
		{"2025-08/..", "open intervals (..) are not supported"},
		{"../2025-08", "open intervals (..) are not supported"},
		{"2025-08/", "unknown interval ends are not supported"},
		{"/2025-08", "unknown interval ends are not supported"},
		{"2025/2026/2027", "an interval has exactly one /"},
		{"2026-01-24/2026-01-23", "interval ends before it starts"},
		{"2026/2025", "interval ends before it starts"},
		{"2026-01-23T10:00/2026-01-23T09:59", "interval ends before it starts"},
		{"2025-13/2026", "interval start: month must be 01-12"},
		{"2025/2026-02-30", "interval end: day must be 01-28 in 2026-02"},
		{"20XX", "unspecified digits (X) are not supported"},
		{"2025-XX", "unspecified digits (X) are not supported"},
		{"[2025,2026]", "sets ([...] and {...}) are not supported"},
		{"{2025..2026}", "open intervals (..) are not supported"},
		{"2025?~", "use one qualifier"},
		{"?", "expected YYYY"},
		{"2025-?08", "qualifiers (?, ~, %) are allowed only at the end of a date"},
		{"?2025", "qualifiers (?, ~, %) are allowed only at the end of a date"},
		{"2026-01-23T22:30~", "qualifiers (?, ~, %) apply only to dates without a time"},
		{"2026-01-23T22:30:00+03:00?", "qualifiers (?, ~, %) apply only to dates without a time"},
		{"2025-08-15-01", "expected YYYY"},
		{"2025_08", "expected YYYY"},
		{"August 2025", "whitespace is not allowed"},
		{"friday", "expected YYYY"},
		{"２０２５", "expected YYYY"}, // full-width digits
		{"2025\xff", "not valid utf-8"},
		{strings.Repeat("2025", 20), "longer than 64 characters"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			d, err := ParseDate(tt.in)
			if err == nil {
				t.Fatalf("ParseDate(%q) = %+v, want error containing %q", tt.in, d, tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ParseDate(%q) error = %q, want it to contain %q", tt.in, err, tt.want)
			}
			if !strings.HasPrefix(err.Error(), "invalid date") {
				t.Errorf("error %q does not start with \"invalid date\"", err)
			}
			if !d.IsZero() {
				t.Errorf("ParseDate(%q) returned non-zero Date %+v with an error", tt.in, d)
			}
		})
	}
}

func TestParseDateErrorMessage(t *testing.T) {
	t.Parallel()
	_, err := ParseDate("2025-13")
	if got, want := err.Error(), `invalid date "2025-13": month must be 01-12`; got != want {
		t.Errorf("error = %q, want %q", got, want)
	}
}

func TestMustParseDatePanics(t *testing.T) {
	t.Parallel()
	defer func() {
		if recover() == nil {
			t.Error("MustParseDate did not panic on a bad date")
		}
	}()
	MustParseDate("2025-13")
}

func TestDateOverlaps(t *testing.T) {
	t.Parallel()
	tests := []struct {
		a, b string
		want bool
	}{
		// A month-precision event is found by a one-day range inside it.
		{"2025-08", "2025-08-15", true},
		{"2025-08", "2025-08-01/2025-08-31", true},
		{"2025", "2025-08-15T10:00Z", true},
		{"2025-08~", "2025-08-31", true},
		{"2025-08", "2025-09-01", false}, // half-open: the month ends where September begins
		{"2025-08", "2025-07-31", false},
		{"2025-08-31", "2025-09", false},
		{"2026-01-23T22:30:00+03:00", "2026-01-23T19:30Z", true},
		{"2026-01-23T22:30:00+03:00", "2026-01-23T22:30Z", false},
		{"2025-07-30/2025-08-02", "2025-08", true},
		{"2024/2025", "2025-12-31", true},
		{"2024/2025", "2026", false},
	}
	for _, tt := range tests {
		a, b := MustParseDate(tt.a), MustParseDate(tt.b)
		if got := a.Overlaps(b); got != tt.want {
			t.Errorf("%s.Overlaps(%s) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
		if got := b.Overlaps(a); got != tt.want {
			t.Errorf("%s.Overlaps(%s) = %v, want %v", tt.b, tt.a, got, tt.want)
		}
	}
	if (Date{}).Overlaps(MustParseDate("2025")) || MustParseDate("2025").Overlaps(Date{}) {
		t.Error("a zero Date overlaps a real one")
	}
}

func TestDateZero(t *testing.T) {
	t.Parallel()
	var d Date
	if !d.IsZero() {
		t.Error("zero Date: IsZero() = false")
	}
	if d.String() != "" {
		t.Errorf("zero Date: String() = %q", d.String())
	}
	if (Date{Approximate: true}).IsZero() {
		t.Error("Date with a flag set reports IsZero")
	}
}

func TestDateMarshalJSON(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want string
	}{
		{"2025-08~", `{"edtf":"2025-08~","start":"2025-08-01T00:00:00Z","end":"2025-09-01T00:00:00Z","precision":"month","approximate":true,"uncertain":false}`},
		{"2026-01-23T22:30:00+03:00", `{"edtf":"2026-01-23T22:30:00+03:00","start":"2026-01-23T19:30:00Z","end":"2026-01-23T19:30:01Z","precision":"second","approximate":false,"uncertain":false}`},
		{"2026-01-23/2026-01-24?", `{"edtf":"2026-01-23/2026-01-24?","start":"2026-01-23T00:00:00Z","end":"2026-01-25T00:00:00Z","precision":"day","approximate":false,"uncertain":true}`},
		{"9998", `{"edtf":"9998","start":"9998-01-01T00:00:00Z","end":"9999-01-01T00:00:00Z","precision":"year","approximate":false,"uncertain":false}`},
	}
	for _, tt := range tests {
		b, err := json.Marshal(MustParseDate(tt.in))
		if err != nil {
			t.Fatalf("Marshal(%q): %v", tt.in, err)
		}
		if string(b) != tt.want {
			t.Errorf("Marshal(%q)\n got  %s\n want %s", tt.in, b, tt.want)
		}
		var back Date
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("Unmarshal(%s): %v", b, err)
		}
		if !dateEqual(back, MustParseDate(tt.in)) {
			t.Errorf("round trip of %q gave %+v", tt.in, back)
		}
	}

	b, err := json.Marshal(Date{})
	if err != nil || string(b) != "null" {
		t.Errorf("Marshal(zero) = %s, %v; want null", b, err)
	}
	// As a struct member, through a pointer and by value.
	type event struct {
		When  Date  `json:"when"`
		Until *Date `json:"until"`
	}
	b, err = json.Marshal(event{})
	if err != nil || string(b) != `{"when":null,"until":null}` {
		t.Errorf("Marshal(event{}) = %s, %v", b, err)
	}
}

func TestDateUnmarshalJSON(t *testing.T) {
	t.Parallel()
	full := `"edtf":"2025-08~","start":"2025-08-01T00:00:00Z","end":"2025-09-01T00:00:00Z","precision":"month","approximate":true,"uncertain":false`
	tests := []struct {
		name, in string
		want     string // EDTF of the expected Date, "" for zero
		err      string // substring of the expected error, "" for success
	}{
		{"string", `"2025-08~"`, "2025-08~", ""},
		{"string interval", `"2026-01-23/2026-01-24"`, "2026-01-23/2026-01-24", ""},
		{"string with escapes", `"2025\u002d08"`, "2025-08", ""},
		{"object edtf only", `{"edtf":"2025-08~"}`, "2025-08~", ""},
		{"object full", `{` + full + `}`, "2025-08~", ""},
		{"object other order", `{"uncertain":false,"edtf":"2025-08~","precision":"month"}`, "2025-08~", ""},
		{"object whitespace", " {\n \"edtf\" : \"2025\" \n} ", "2025", ""},
		{"start with other offset", `{"edtf":"2026-01-23","start":"2026-01-23T03:00:00+03:00"}`, "2026-01-23", ""},
		{"year 9999 is out of range", `{"edtf":"9999"}`, "", "between the years 0001 and 9998"},
		{"null", `null`, "", ""},

		{"bad string", `"2025-13"`, "", `invalid date "2025-13": month must be 01-12`},
		{"string with space", `" 2025"`, "", "whitespace is not allowed"},
		{"number", `2025`, "", "must be an edtf string or an object"},
		{"bool", `true`, "", "must be an edtf string or an object"},
		{"array", `["2025"]`, "", "must be an edtf string or an object"},
		{"empty object", `{}`, "", `member "edtf" is required`},
		{"edtf null", `{"edtf":null}`, "", `"edtf" must be a string`},
		{"edtf number", `{"edtf":2025}`, "", `"edtf" must be a string`},
		{"edtf invalid", `{"edtf":"2025-02-30"}`, "", "day must be 01-28 in 2025-02"},
		{"unknown member", `{"edtf":"2025","note":"x"}`, "", `unknown member "note"`},
		{"case variant", `{"EDTF":"2025"}`, "", `unknown member "EDTF" (member names are case-sensitive; use "edtf")`},
		{"case variant start", `{"edtf":"2025","Start":"2025-01-01T00:00:00Z"}`, "", `unknown member "Start"`},
		{"duplicate", `{"edtf":"2025","edtf":"2026"}`, "", `duplicate member "edtf"`},
		{"duplicate escaped", `{"edtf":"2025","\u0065dtf":"2025"}`, "", `duplicate member "edtf"`},
		{"duplicate derived", `{"edtf":"2025","precision":"year","precision":"year"}`, "", `duplicate member "precision"`},
		{"start mismatch", `{"edtf":"2025-08","start":"2025-08-02T00:00:00Z"}`, "", `"start" is derived from edtf "2025-08" and must be "2025-08-01T00:00:00Z"`},
		{"start not rfc3339", `{"edtf":"2025-08","start":"2025-08"}`, "", `"start" is derived from edtf`},
		{"end mismatch", `{"edtf":"2025-08","end":"2025-08-31T00:00:00Z"}`, "", `"end" is derived from edtf`},
		{"precision mismatch", `{"edtf":"2025-08","precision":"day"}`, "", `"precision" is derived from edtf "2025-08" and must be "month"`},
		{"approximate mismatch", `{"edtf":"2025-08","approximate":true}`, "", `"approximate" is derived from edtf "2025-08" and must be false`},
		{"uncertain mismatch", `{"edtf":"2025?","uncertain":false}`, "", `"uncertain" is derived from edtf "2025?" and must be true`},
		{"start wrong type", `{"edtf":"2025","start":0}`, "", `"start" must be a string`},
		{"approximate wrong type", `{"edtf":"2025","approximate":"true"}`, "", `"approximate" must be true or false`},
		{"approximate null", `{"edtf":"2025","approximate":null}`, "", `"approximate" must be true or false`},
		{"nested object", `{"edtf":{"edtf":"2025"}}`, "", `"edtf" must be a string`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var d Date
			err := json.Unmarshal([]byte(tt.in), &d)
			if tt.err != "" {
				if err == nil {
					t.Fatalf("Unmarshal(%s) = %+v, want error containing %q", tt.in, d, tt.err)
				}
				if !strings.Contains(err.Error(), tt.err) {
					t.Errorf("Unmarshal(%s) error = %q, want it to contain %q", tt.in, err, tt.err)
				}
				if !d.IsZero() {
					t.Errorf("Unmarshal(%s) changed the Date on error: %+v", tt.in, d)
				}
				return
			}
			if err != nil {
				t.Fatalf("Unmarshal(%s): %v", tt.in, err)
			}
			if tt.want == "" {
				if !d.IsZero() {
					t.Errorf("Unmarshal(%s) = %+v, want zero", tt.in, d)
				}
				return
			}
			if want := MustParseDate(tt.want); !dateEqual(d, want) {
				t.Errorf("Unmarshal(%s)\n got  %+v\n want %+v", tt.in, d, want)
			}
		})
	}
}

func TestDateUnmarshalJSONDirect(t *testing.T) {
	t.Parallel()
	// Callers that bypass json.Unmarshal may hand over anything.
	for _, in := range []string{``, `{`, `{"edtf":"2025"`, `"2025" "2026"`, `{"edtf":"2025"} x`, `null null`, `{"edtf" "2025"}`} {
		d := MustParseDate("2024")
		if err := d.UnmarshalJSON([]byte(in)); err == nil {
			t.Errorf("UnmarshalJSON(%q) accepted malformed input", in)
		}
		if !dateEqual(d, MustParseDate("2024")) {
			t.Errorf("UnmarshalJSON(%q) changed the Date on error", in)
		}
	}
	// null is a no-op, as for encoding/json's own types.
	d := MustParseDate("2024")
	if err := d.UnmarshalJSON([]byte("null")); err != nil || !dateEqual(d, MustParseDate("2024")) {
		t.Errorf("UnmarshalJSON(null) = %v, Date %+v; want no-op", err, d)
	}
}

func TestDateJSONInStruct(t *testing.T) {
	t.Parallel()
	type event struct {
		When  Date  `json:"when"`
		Until *Date `json:"until,omitempty"`
	}
	var e event
	if err := json.Unmarshal([]byte(`{"when":"2025-08","until":{"edtf":"2025-09"}}`), &e); err != nil {
		t.Fatal(err)
	}
	if e.When.String() != "2025-08" || e.Until == nil || e.Until.String() != "2025-09" {
		t.Errorf("got %+v", e)
	}
	err := json.Unmarshal([]byte(`{"when":{"edtf":"2025","EDTF":"2025"}}`), &e)
	if err == nil || !strings.Contains(err.Error(), `unknown member "EDTF"`) {
		t.Errorf("case-variant member inside a struct: err = %v", err)
	}
}

// FuzzParseDate checks the invariants every accepted date must keep: the text survives
// unchanged, the interval is non-empty and in UTC, and reparsing and JSON round trips
// give back the same Date.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{
		"2025", "2025-08", "2026-01-23", "2026-01-23T22:30:00+03:00", "2026-01-23/2026-01-24",
		"2025-08~", "2026?", "2026-01-23T22:30Z",
		"0000-01-01T00:00+14:00", "9999-12-31T23:59:59-14:00", "2024-02-29%", "2025-08/..",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			if !d.IsZero() {
				t.Fatalf("ParseDate(%q) returned %+v with error %v", s, d, err)
			}
			if !strings.HasPrefix(err.Error(), "invalid date") {
				t.Fatalf("ParseDate(%q) error %q lacks the prefix", s, err)
			}
			return
		}
		if d.String() != s {
			t.Fatalf("String() = %q, want %q", d.String(), s)
		}
		if !d.End.After(d.Start) {
			t.Fatalf("ParseDate(%q): end %v not after start %v", s, d.End, d.Start)
		}
		if d.Start.Location() != time.UTC || d.End.Location() != time.UTC {
			t.Fatalf("ParseDate(%q): not UTC: %v, %v", s, d.Start, d.End)
		}
		if d.Start.Nanosecond() != 0 || d.End.Nanosecond() != 0 {
			t.Fatalf("ParseDate(%q): sub-second part", s)
		}
		if _, ok := precisionRank[d.Precision]; !ok {
			t.Fatalf("ParseDate(%q): unknown precision %q", s, d.Precision)
		}
		if d.IsZero() || !d.Overlaps(d) {
			t.Fatalf("ParseDate(%q): zero or does not overlap itself", s)
		}
		again, err := ParseDate(d.String())
		if err != nil || !dateEqual(again, d) {
			t.Fatalf("reparse of %q = %+v, %v; want %+v", s, again, err, d)
		}
		b, err := json.Marshal(d)
		if err != nil {
			t.Fatalf("Marshal(%q): %v", s, err)
		}
		var back Date
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("Unmarshal(%s): %v", b, err)
		}
		if !dateEqual(back, d) {
			t.Fatalf("JSON round trip of %q = %+v, want %+v", s, back, d)
		}
		q, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		var fromString Date
		if err := json.Unmarshal(q, &fromString); err != nil || !dateEqual(fromString, d) {
			t.Fatalf("Unmarshal(%s) = %+v, %v; want %+v", q, fromString, err, d)
		}
	})
}
