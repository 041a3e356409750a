package formats

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/parley-api/parley/models"
)

// TestAppendEventJSONMatchesEncodingJSON fills every field of the models reachable from
// an event with random values (strings with HTML characters, control characters, line
// separators and invalid UTF-8; nil and empty lists; timestamps in odd zones, some
// outside what RFC 3339 can hold; NaN and extreme coordinates) and insists that
// appendEventJSON writes exactly what json.Marshal does, or fails exactly when it does.
// The filler walks the types by reflection, so a field added to a model gets random
// values here and fails the test until appendEventJSON writes it too.
func TestAppendEventJSONMatchesEncodingJSON(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(7, 11))
	n := 3000
	if testing.Short() {
		n = 300
	}
	fast, refused := 0, 0
	for i := range n {
		var e models.Event
		fillRandom(r, reflect.ValueOf(&e).Elem(), 0)
		want, wantErr := json.Marshal(&e)
		got, gotErr := appendEventJSON([]byte("prefix"), &e)
		if (wantErr == nil) != (gotErr == nil) {
			t.Fatalf("event %d: json.Marshal error %v, appendEventJSON error %v", i, wantErr, gotErr)
		}
		if wantErr != nil {
			refused++
			continue
		}
		if !bytes.HasPrefix(got, []byte("prefix")) || !bytes.Equal(got[len("prefix"):], want) {
			t.Fatalf("event %d differs:\n got %s\nwant %s", i, got[len("prefix"):], want)
		}
		w := jsonWriter{ok: true}
		if w.event(&e); w.ok {
			fast++
		}
	}
	// Most events that encode must take the fast path, or the test proves nothing
	// about it (a NaN in any float makes both refuse, and there are many floats).
	if fast < (n-refused)/3 {
		t.Fatalf("only %d of %d events were written without encoding/json", fast, n-refused)
	}
}

// TestAppendEventJSONEdges checks the values where encoding/json's own rules show:
// years 0 and 9999 against 10000 and -1, zone offsets of 23 and 24 hours, exponents in
// coordinates, and a nil reference in a list.
func TestAppendEventJSONEdges(t *testing.T) {
	t.Parallel()
	f := func(x float64) *float64 { return &x }
	base := models.Event{Title: "<a & b>", Date: models.MustParseDate("2026-01-23")}
	cases := map[string]func(e *models.Event){
		"year 0":     func(e *models.Event) { e.CreatedAt = time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC) },
		"year 9999":  func(e *models.Event) { e.CreatedAt = time.Date(9999, 12, 31, 23, 59, 59, 999, time.UTC) },
		"year 10000": func(e *models.Event) { e.CreatedAt = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) },
		"year -1":    func(e *models.Event) { e.UpdatedAt = time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC) },
		"offset 23:59": func(e *models.Event) {
			e.CreatedAt = time.Date(2020, 1, 1, 0, 0, 0, 0, time.FixedZone("", 23*3600+59*60))
		},
		"offset 24h":      func(e *models.Event) { e.CreatedAt = time.Date(2020, 1, 1, 0, 0, 0, 0, time.FixedZone("", 24*3600)) },
		"offset -24h":     func(e *models.Event) { e.CreatedAt = time.Date(2020, 1, 1, 0, 0, 0, 0, time.FixedZone("", -24*3600)) },
		"offset seconds":  func(e *models.Event) { e.CreatedAt = time.Date(2020, 1, 1, 0, 0, 0, 0, time.FixedZone("", 3600+30)) },
		"tiny coordinate": func(e *models.Event) { e.LocationData = &models.Location{Latitude: f(1e-7), Longitude: f(-1e-300)} },
		"huge coordinate": func(e *models.Event) {
			e.LocationData = &models.Location{Latitude: f(1e21), Longitude: f(-123456789e20)}
		},
		"NaN coordinate":  func(e *models.Event) { e.LocationData = &models.Location{Latitude: f(math.NaN()), Longitude: f(0)} },
		"inf coordinate":  func(e *models.Event) { e.LocationData = &models.Location{Latitude: f(0), Longitude: f(math.Inf(-1))} },
		"nil ref in list": func(e *models.Event) { e.Sources = []*models.Ref{nil, models.RefBySlug("a-b")} },
		"zero dates":      func(e *models.Event) { e.Date = models.Date{}; e.SourcesData = []models.Source{{}} },
		"date year 10000": func(e *models.Event) { e.Date.End = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) },
		"separators":      func(e *models.Event) { e.Summary = "a\u2028b\u2029c\x00\x7f\xff\xfe" },
	}
	for name, edit := range cases {
		e := base
		edit(&e)
		want, wantErr := json.Marshal(&e)
		got, gotErr := appendEventJSON(nil, &e)
		if (wantErr == nil) != (gotErr == nil) || !bytes.Equal(got, want) {
			t.Errorf("%s: got %s (%v), want %s (%v)", name, got, gotErr, want, wantErr)
		}
	}
}

var (
	timeType = reflect.TypeFor[time.Time]()
	dateType = reflect.TypeFor[models.Date]()
)

// randomStrings mixes the characters encoding/json escapes with plain text.
var randomStrings = []string{"", "a", "Abu Dhabi", "<script>&amp;</script>", "quote \" and \\ backslash",
	"tab\tnew\nline\rret\bback\fform", "\x00\x01\x1f\x7f", "line\u2028para\u2029", "bad \xff\xfe utf8 \xc3",
	"переговоры", "emoji 🕊️", "a-slug-1"}

// fillRandom sets v, and everything reachable from it, to random values.
func fillRandom(r *rand.Rand, v reflect.Value, depth int) {
	switch {
	case v.Type() == timeType:
		v.Set(reflect.ValueOf(randomTime(r)))
		return
	case v.Type() == dateType && r.IntN(4) == 0:
		v.SetZero() // null
		return
	case (v.Type() == reflect.TypeFor[[]models.Position]() || v.Type() == reflect.TypeFor[[]models.ActorRelation]()) && r.IntN(4) > 0:
		v.SetZero() // embedded actors are read without them; their dates would drown the fast path
		return
	}
	switch v.Kind() {
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fillRandom(r, v.Field(i), depth+1)
			}
		}
	case reflect.Pointer:
		if r.IntN(3) == 0 || depth > 6 {
			v.SetZero()
			return
		}
		p := reflect.New(v.Type().Elem())
		fillRandom(r, p.Elem(), depth+1)
		v.Set(p)
	case reflect.Slice:
		if r.IntN(4) == 0 || depth > 6 {
			v.SetZero()
			return
		}
		n := r.IntN(4)
		s := reflect.MakeSlice(v.Type(), n, n)
		for i := range n {
			fillRandom(r, s.Index(i), depth+1)
		}
		v.Set(s)
	case reflect.Map:
		if r.IntN(3) == 0 {
			v.SetZero()
			return
		}
		m := reflect.MakeMap(v.Type())
		for range r.IntN(4) {
			k := reflect.New(v.Type().Key()).Elem()
			fillRandom(r, k, depth+1)
			e := reflect.New(v.Type().Elem()).Elem()
			fillRandom(r, e, depth+1)
			m.SetMapIndex(k, e)
		}
		v.Set(m)
	case reflect.Array:
		for i := range v.Len() {
			fillRandom(r, v.Index(i), depth+1)
		}
	case reflect.String:
		s := randomStrings[r.IntN(len(randomStrings))]
		if r.IntN(2) == 0 {
			s += randomStrings[r.IntN(len(randomStrings))]
		}
		v.SetString(s)
	case reflect.Bool:
		v.SetBool(r.IntN(2) == 0)
	case reflect.Int, reflect.Int64, reflect.Int32:
		v.SetInt(r.Int64N(1<<40) - 1<<39)
	case reflect.Uint8:
		v.SetUint(uint64(r.IntN(256)))
	case reflect.Float64:
		v.SetFloat(randomFloat(r))
	default:
		panic("fillRandom: no random value for " + v.Type().String() + ": teach the filler (and appendEventJSON) this kind")
	}
}

func randomTime(r *rand.Rand) time.Time {
	zones := []*time.Location{time.UTC, time.FixedZone("", 4*3600), time.FixedZone("", -(9*3600 + 30*60)), time.FixedZone("", 3600+7)}
	year := 1 + r.IntN(9998)
	switch r.IntN(50) {
	case 0:
		year = 10000 + r.IntN(5)
	case 1:
		year = -r.IntN(3)
	}
	return time.Date(year, time.Month(1+r.IntN(12)), 1+r.IntN(28), r.IntN(24), r.IntN(60), r.IntN(60), r.IntN(3)*r.IntN(1e9), zones[r.IntN(len(zones))])
}

func randomFloat(r *rand.Rand) float64 {
	switch r.IntN(12) {
	case 0:
		return math.NaN()
	case 1:
		return 1e-7 * r.Float64()
	case 2:
		return 1e22 * r.Float64()
	case 3:
		return 0
	}
	return r.Float64()*360 - 180
}

// TestAppendJSONStringEveryByte compares appendJSONString with encoding/json on every
// single byte and on every rune up to U+3000 (past U+2028 and U+2029).
func TestAppendJSONStringEveryByte(t *testing.T) {
	t.Parallel()
	var sb strings.Builder
	for c := range 256 {
		sb.WriteByte(byte(c))
	}
	for c := rune(0); c < 0x3000; c++ {
		sb.WriteRune(c)
	}
	s := sb.String()
	want, _ := json.Marshal(s)
	if got := appendJSONString(nil, s); !bytes.Equal(got, want) {
		t.Fatalf("appendJSONString differs from encoding/json")
	}
}
