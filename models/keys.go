package models

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"strings"
	"time"
)

// Scope is what an API key may do. Each scope includes the ones before it: read, then
// write (creating, changing and deleting entities), then admin (bulk import and key
// management).
type Scope string

// The scopes, weakest first.
const (
	ScopeRead  Scope = "read"
	ScopeWrite Scope = "write"
	ScopeAdmin Scope = "admin"
)

// Scopes lists the scopes, weakest first.
var Scopes = []Scope{ScopeRead, ScopeWrite, ScopeAdmin}

func (s Scope) rank() int {
	for i, x := range Scopes {
		if x == s {
			return i + 1
		}
	}
	return 0
}

// Valid reports whether s is a known scope.
func (s Scope) Valid() bool { return s.rank() > 0 }

// Allows reports whether a key with scope s may do what needs scope need.
func (s Scope) Allows(need Scope) bool { return s.Valid() && s.rank() >= need.rank() }

// APIKey is an API key's record. The secret is shown once, when the key is made; only
// its SHA-256 is kept (a key is 256 random bits, so a fast hash is as safe as a slow one
// and costs nothing per request).
type APIKey struct {
	ID   ID     `json:"id" gorm:"primaryKey"`
	Name string `json:"name" gorm:"not null"`
	// Prefix is the key's first characters: enough to find its record and to tell keys
	// apart in lists and logs, useless to an attacker.
	Prefix    string     `json:"prefix" gorm:"not null;unique"`
	Hash      []byte     `json:"-" gorm:"not null"`
	Scope     Scope      `json:"scope" gorm:"not null"`
	CreatedAt time.Time  `json:"created_at" gorm:"not null"`
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
}

// TableName is the key table.
func (APIKey) TableName() string { return "api_keys" }

// KeyPrefix starts every API key, so that a leaked one is recognisable (secret scanners
// match on it).
const KeyPrefix = "parley_"

// keyIDLen is how many characters after KeyPrefix make a key's Prefix.
const keyIDLen = 12

// NewAPIKey makes a key: the record to store and the secret to show once.
func NewAPIKey(name string, scope Scope) (*APIKey, string) {
	secret := KeyPrefix + base64.RawURLEncoding.EncodeToString(randomBytes(32))
	sum := sha256.Sum256([]byte(secret))
	return &APIKey{ID: NewID(), Name: name, Scope: scope, Prefix: secret[:len(KeyPrefix)+keyIDLen], Hash: sum[:]}, secret
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (it panics if the system cannot give entropy)
	return b
}

// KeyPrefixOf returns the part of secret that finds its record, or "" when secret does
// not look like a parley key.
func KeyPrefixOf(secret string) string {
	if !strings.HasPrefix(secret, KeyPrefix) || len(secret) != len(KeyPrefix)+43 {
		return ""
	}
	return secret[:len(KeyPrefix)+keyIDLen]
}

// Matches reports, in constant time, whether secret is this key.
func (k *APIKey) Matches(secret string) bool {
	sum := sha256.Sum256([]byte(secret))
	return subtle.ConstantTimeCompare(sum[:], k.Hash) == 1
}

// Validate checks a key's name and scope.
func (k *APIKey) Validate() error {
	v := NewValidation(EUNPROCESSABLE)
	checkText(v, "name", k.Name, true, MaxShortLen)
	if !k.Scope.Valid() {
		v.Add("scope", "must be one of %v", Scopes)
	}
	return v.Err()
}
