package models

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Length limits keep rows small and reject garbage early.
const (
	MaxSlugLen  = 100
	MaxNameLen  = 300
	MaxTextLen  = 100_000
	MaxShortLen = 1000
	MaxTags     = 50
	MaxTagLen   = 64
)

var slugRE = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

// ValidateSlug checks the URL-safe form of slugs: lower-case ASCII words joined by single
// hyphens. A slug shaped like a UUID is refused, so that a path segment is unambiguous.
func ValidateSlug(s string) error {
	switch {
	case s == "":
		return fmt.Errorf("must not be empty")
	case len(s) > MaxSlugLen:
		return fmt.Errorf("must be at most %d characters", MaxSlugLen)
	case !slugRE.MatchString(s):
		return fmt.Errorf("must be lower-case letters, digits and single hyphens (e.g. %q)", "abu-dhabi-talks")
	}
	if _, err := ParseID(s); err == nil {
		return fmt.Errorf("must not have the form of an id")
	}
	return nil
}

// Slugify derives a slug from a name: ASCII-folded, lower case, hyphen-separated,
// cut at a word boundary to fit. It returns "" when nothing usable is left (e.g. a name
// in a non-Latin script); callers then fall back to another source.
func Slugify(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range foldLatin(name) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case r >= 'A' && r <= 'Z':
			b.WriteRune(unicode.ToLower(r))
			dash = false
		case r == '\'' || r == '’':
			// apostrophes join words: "Trump's" -> "trumps"
		default:
			if !dash && b.Len() > 0 {
				b.WriteByte('-')
				dash = true
			}
		}
	}
	s := strings.Trim(b.String(), "-")
	for len(s) > MaxSlugLen-6 { // leave room for a "-NNNNN" suffix
		i := strings.LastIndexByte(s[:MaxSlugLen-6], '-')
		if i <= 0 {
			s = s[:MaxSlugLen-6]
			break
		}
		s = s[:i]
	}
	return s
}

// latinFold covers the letters that do not decompose into a base letter and a mark.
var latinFold = strings.NewReplacer("ł", "l", "đ", "d", "ø", "o", "ß", "ss", "æ", "ae", "œ", "oe", "ı", "i", "ħ", "h", "þ", "th")

// foldLatin strips diacritics by canonical decomposition ("Erdoğan" -> "erdogan"). The
// transformer keeps state, so each call builds its own.
func foldLatin(s string) string {
	unaccent := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(unaccent, strings.ToLower(s))
	if err != nil {
		out = strings.ToLower(s)
	}
	return latinFold.Replace(out)
}

// checkText validates a free-text field: valid UTF-8, no control characters other than
// newlines and tabs, at most max bytes; required fields must not be blank.
func checkText(v *Validation, field, s string, required bool, max int) {
	switch {
	case !utf8.ValidString(s):
		v.Add(field, "must be valid UTF-8")
	case required && strings.TrimSpace(s) == "":
		v.Add(field, "is required")
	case len(s) > max:
		v.Add(field, "must be at most %d bytes", max)
	case strings.IndexFunc(s, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\t' && r != '\r' }) >= 0:
		v.Add(field, "must not contain control characters")
	}
}

// checkName validates a single-line name.
func checkName(v *Validation, field, s string, required bool) {
	checkText(v, field, s, required, MaxNameLen)
	if strings.ContainsAny(s, "\n\r\t") {
		v.Add(field, "must be a single line")
	}
}

func checkSlug(v *Validation, s string) {
	if err := ValidateSlug(s); err != nil {
		v.Add("slug", "%s", err.Error())
	}
}

func checkCountry(v *Validation, field, c string) {
	if c != "" && !ValidCountry(c) {
		v.Add(field, "must be an ISO 3166-1 alpha-2 code in upper case, e.g. \"UA\"")
	}
}

func checkLanguage(v *Validation, field, lang string) {
	if lang != "" && !languageRE.MatchString(lang) {
		v.Add(field, "must be a BCP 47 language tag, e.g. \"en\" or \"uk\"")
	}
}

var languageRE = regexp.MustCompile(`^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$`)

func checkTags(v *Validation, field string, tags []string) {
	if len(tags) > MaxTags {
		v.Add(field, "must have at most %d tags", MaxTags)
		return
	}
	seen := map[string]bool{}
	for i, t := range tags {
		f := fmt.Sprintf("%s[%d]", field, i)
		if err := validateTag(t); err != nil {
			v.Add(f, "%s", err.Error())
		} else if seen[t] {
			v.Add(f, "duplicate tag %q", t)
		}
		seen[t] = true
	}
}

var tagRE = regexp.MustCompile(`^[\p{Ll}\p{Lo}\p{N}]+(?:[-_][\p{Ll}\p{Lo}\p{N}]+)*$`)

func validateTag(t string) error {
	if len(t) == 0 || len(t) > MaxTagLen || !utf8.ValidString(t) || !tagRE.MatchString(t) {
		return fmt.Errorf("must be 1-%d lower-case letters or digits, joined by - or _", MaxTagLen)
	}
	return nil
}

// ValidTag reports whether t is a well-formed tag (for query filters).
func ValidTag(t string) bool { return validateTag(t) == nil }

func checkExternalIDs(v *Validation, field string, m StringMap) {
	for k, val := range m {
		if !externalKeyRE.MatchString(k) {
			v.Add(field+"."+k, "key must be lower-case letters, digits or _")
		}
		checkName(v, field+"."+k, val, true)
	}
}

var externalKeyRE = regexp.MustCompile(`^[a-z][a-z0-9_]{0,31}$`)

func checkURL(v *Validation, field, s string) {
	if s == "" {
		return
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(s) > 2048 {
		v.Add(field, "must be an absolute http(s) URL")
	}
}

func checkRef(v *Validation, field string, r *Ref, required bool) {
	if r == nil || (r.ID.IsZero() && r.Slug == "") {
		if required {
			v.Add(field, "is required")
		}
	}
}
