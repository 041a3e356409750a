package handlers

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
)

// MaxBodyBytes caps request bodies; larger ones get 413.
const MaxBodyBytes = 1 << 20

// MaxQueryBytes caps a request's query string. With MaxValues it bounds what one request
// can ask of the database; a longer query string is a 400 naming the cap.
const MaxQueryBytes = 8192

// MaxValues caps the values of one repeatable query parameter (repeated, or
// comma-separated): the store's cap on a filter's values, checked before any work.
const MaxValues = store.MaxFilterValues

// List is the body of every collection response.
type List[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor,omitempty"`
}

// Fail hands err to the problem middleware (api) and stops the chain: how a handler or a
// middleware answers with an error.
func Fail(c *gin.Context, err error) {
	_ = c.Error(err)
	c.Abort()
}

// readBody reads a JSON request body under the size cap.
func readBody(c *gin.Context) ([]byte, error) {
	ct := c.GetHeader("Content-Type")
	if ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || !(mt == "application/json" || strings.HasSuffix(mt, "+json")) {
			return nil, models.Errorf(models.EUNSUPPORTED, "the body must be JSON (Content-Type: application/json)")
		}
	}
	b, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, MaxBodyBytes))
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return nil, models.Errorf(models.ETOOLARGE, "the body exceeds %d bytes", MaxBodyBytes)
	}
	if err != nil {
		return nil, models.Errorf(models.EINVALID, "could not read the body")
	}
	if len(b) == 0 {
		return nil, models.Errorf(models.EINVALID, "the body is empty; send a JSON object")
	}
	return b, nil
}

// decode reads the body strictly into v.
func decode(c *gin.Context, v any) error {
	b, err := readBody(c)
	if err != nil {
		return err
	}
	return models.UnmarshalStrict(b, v)
}

// setETag marks the response with the entity's version, the value If-Match expects.
func setETag(c *gin.Context, version int) {
	c.Header("ETag", strconv.Quote(strconv.Itoa(version)))
}

// ifMatch reads the If-Match every change must carry: the version it names, or 0 for
// "*" (any version: the sender knowingly overwrites). Without it a change is refused
// (428): two editors would silently overwrite each other.
func ifMatch(c *gin.Context) (int, error) {
	h := strings.TrimSpace(c.GetHeader("If-Match"))
	switch h {
	case "":
		// The resource's handler replaces this with the entity's own version (crud.ifMatch).
		return 0, models.Errorf(models.EPRECONDREQUIRED, "send If-Match with the ETag of the version you read, or * to overwrite whatever is there")
	case "*":
		return 0, nil
	}
	// If-Match compares strongly (RFC 9110 13.1.1): a weak W/"3" does not match.
	if v, ok := etagVersion(h); ok && !strings.HasPrefix(h, "W/") {
		return v, nil
	}
	return 0, models.Errorf(models.EPRECONDITION, "If-Match must be the ETag of the version read, e.g. \"3\"")
}

// etagVersion reads a version from an ETag ("3"; a weak W/"3" matches too).
func etagVersion(tag string) (int, bool) {
	s, err := strconv.Unquote(strings.TrimPrefix(strings.TrimSpace(tag), "W/"))
	if err != nil {
		return 0, false
	}
	v, err := strconv.Atoi(s)
	return v, err == nil && v > 0
}

// notModified answers 304 when the request's If-None-Match names version (or is *), so
// that a client polling an item pays for the body only when it changed.
func notModified(c *gin.Context, version int) bool {
	h := c.GetHeader("If-None-Match")
	if h == "" {
		return false
	}
	for _, tag := range strings.Split(h, ",") {
		if v, ok := etagVersion(tag); (ok && v == version) || strings.TrimSpace(tag) == "*" {
			setETag(c, version)
			c.Status(http.StatusNotModified)
			return true
		}
	}
	return false
}

// query reads URL parameters strictly: unknown names, repeated single-valued names and
// invalid values are collected as field errors and reported together (400).
type query struct {
	vals   url.Values
	v      *models.Validation
	capped map[string]bool // parameters already reported over MaxValues
}

func newQuery(c *gin.Context, allowed ...string) *query {
	// url.Values from URL.Query() silently drops what it cannot parse (a ";", a bad
	// escape): a filter the client sent would be ignored, so that is an error here.
	vals, err := url.ParseQuery(c.Request.URL.RawQuery)
	q := &query{vals: vals, v: models.NewValidation(models.EINVALID), capped: map[string]bool{}}
	if err != nil {
		q.v.Add("query", "is not a valid query string: %s", err.Error())
	}
	if n := len(c.Request.URL.RawQuery); n > MaxQueryBytes {
		q.v.Add("query", "is %d bytes; at most %d are accepted", n, MaxQueryBytes)
	}
	ok := map[string]bool{}
	for _, a := range allowed {
		ok[a] = true
	}
	unknown := false
	for name, vs := range q.vals {
		if !ok[name] {
			// The known parameters are named once, in the detail, not in every error.
			q.v.Add(name, "is not a known parameter here")
			unknown = true
			continue
		}
		for _, s := range vs {
			if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
				q.v.Add(name, "must be valid UTF-8 text")
			}
		}
	}
	switch {
	case unknown && len(allowed) == 0:
		q.v.Note("this endpoint takes no query parameters")
	case unknown:
		q.v.Note("the parameters known here are %s", strings.Join(allowed, ", "))
	}
	return q
}

func (q *query) err() error { return q.v.Err() }

// strings returns every value of a repeatable parameter, also split on commas; more
// than MaxValues is an error naming the parameter and the cap (and gives none).
func (q *query) strings(name string) []string {
	var out []string
	for _, v := range q.vals[name] {
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	if len(out) > MaxValues {
		if !q.capped[name] {
			q.capped[name] = true
			q.v.Add(name, "has %d values; at most %d are accepted", len(out), MaxValues)
		}
		return nil
	}
	return out
}

// one returns a single-valued parameter.
func (q *query) one(name string) string {
	vs := q.vals[name]
	if len(vs) > 1 {
		q.v.Add(name, "must be given once")
	}
	if len(vs) == 0 {
		return ""
	}
	return vs[0]
}

// int reads a page size: 1..store.MaxLimit, 0 when absent, for the store's default.
func (q *query) int(name string) int { return q.upTo(name, store.MaxLimit) }

// upTo reads a limit of 1..max; 0 when absent, for the store's default.
func (q *query) upTo(name string, max int) int {
	s := q.one(name)
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	switch {
	case err != nil:
		q.v.Add(name, "must be an integer")
	case n < 1 || n > max:
		q.v.Add(name, "must be between 1 and %d", max)
	default:
		return n
	}
	return 0
}

func (q *query) bool(name string) *bool {
	s := q.one(name)
	if s == "" {
		return nil
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		q.v.Add(name, "must be true or false")
		return nil
	}
	return &b
}

// time reads an RFC 3339 instant.
func (q *query) time(name string) *time.Time {
	s := q.one(name)
	if s == "" {
		return nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		q.v.Add(name, "must be an RFC 3339 time, e.g. 2026-01-23T12:00:00Z")
		return nil
	}
	return &t
}

func (q *query) date(name string) *models.Date {
	s := q.one(name)
	if s == "" {
		return nil
	}
	d, err := models.ParseDate(s)
	if err != nil {
		q.v.Add(name, "%s", err.Error())
		return nil
	}
	return &d
}

// enum returns the values of a repeatable parameter, each checked by valid.
func enum[T ~string](q *query, name string, valid func(T) bool, all []T) []T {
	var out []T
	for _, s := range q.strings(name) {
		if !valid(T(s)) {
			q.v.Add(name, "%q is not one of %v", s, all)
			continue
		}
		out = append(out, T(s))
	}
	return out
}

func (q *query) countries(name string) []string {
	var out []string
	for _, s := range q.strings(name) {
		if !models.ValidCountry(s) {
			q.v.Add(name, "%q is not an ISO 3166-1 alpha-2 code in upper case", s)
			continue
		}
		out = append(out, s)
	}
	return out
}

func (q *query) tags(name string) []string {
	var out []string
	for _, s := range q.strings(name) {
		if !models.ValidTag(s) {
			q.v.Add(name, "%q is not a valid tag", s)
			continue
		}
		out = append(out, s)
	}
	return out
}

func (q *query) refs(name string) []string {
	var out []string
	for _, s := range q.strings(name) {
		if _, err := models.ParseRef(s); err != nil {
			q.v.Add(name, "%s", err.Error())
			continue
		}
		out = append(out, s)
	}
	return out
}

func (q *query) ref(name string) string {
	s := q.one(name)
	if s == "" {
		return ""
	}
	if _, err := models.ParseRef(s); err != nil {
		q.v.Add(name, "%s", err.Error())
		return ""
	}
	return s
}

// respondList writes a page with a Link header to the next one.
func respondList[T any](c *gin.Context, p store.Page[T]) {
	setNextLink(c, p.NextCursor)
	c.JSON(http.StatusOK, List[T]{Items: p.Items, NextCursor: p.NextCursor})
}

// setNextLink points a Link header at the same request with the next page's cursor.
func setNextLink(c *gin.Context, cursor string) {
	if cursor == "" {
		return
	}
	u := *c.Request.URL
	vals := u.Query()
	vals.Set("cursor", cursor)
	u.RawQuery = vals.Encode()
	c.Header("Link", fmt.Sprintf("<%s>; rel=\"next\"", u.RequestURI()))
}
