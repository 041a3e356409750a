package models

import "fmt"

// Outlet is a publisher whose reports sources are: a news agency, a newspaper, a
// broadcaster, a government's press office. It is kept apart from the articles that
// cite it so that what is known of it (country, language, whether a state owns it) is
// said once, and "NBC News, via Meduza" names two outlets, not two strings.
type Outlet struct {
	Meta
	Slug     string `json:"slug" gorm:"not null;unique"`
	Name     string `json:"name" gorm:"not null"`
	Country  string `json:"country,omitempty" gorm:"not null"`
	Language string `json:"language,omitempty" gorm:"not null"`
	// StateOwned is true for an outlet a state owns or controls, false for one known
	// not to be, and null (absent) when unknown.
	StateOwned  *bool      `json:"state_owned,omitempty" gorm:"column:state_owned"`
	URL         string     `json:"url,omitempty" gorm:"column:url;not null"`
	Aliases     StringList `json:"aliases" gorm:"not null" swaggertype:"array,string"`
	ExternalIDs StringMap  `json:"external_ids" gorm:"column:external_ids;not null" swaggertype:"object,string"`
}

// Validate checks an outlet's fields.
func (o *Outlet) Validate() error {
	v := NewValidation(EUNPROCESSABLE)
	checkName(v, "name", o.Name, true)
	checkSlug(v, o.Slug)
	checkCountry(v, "country", o.Country)
	checkLanguage(v, "language", o.Language)
	checkURL(v, "url", o.URL)
	for i, al := range o.Aliases {
		checkName(v, fmt.Sprintf("aliases[%d]", i), al, true)
	}
	checkExternalIDs(v, "external_ids", o.ExternalIDs)
	return v.Err()
}

// MaxViaChain bounds how many relaying sources a credit names ("A, via B, via C"), so
// that printing one costs a bounded walk whatever the data.
const MaxViaChain = 10

// Credit is how a source is credited in print: its outlet, then ", via " and the credit
// of the source it is known through, when its ViaData is embedded: "NBC News, via
// Meduza". Without an outlet the title stands in.
func Credit(s *Source) string {
	if s == nil {
		return ""
	}
	out := creditName(s)
	for v, n := s.ViaData, 0; v != nil && n < MaxViaChain; v, n = v.ViaData, n+1 {
		out += ", via " + creditName(v)
	}
	return out
}

func creditName(s *Source) string {
	if s.Outlet != "" {
		return s.Outlet
	}
	return s.Title
}
