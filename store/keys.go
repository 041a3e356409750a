package store

import (
	"context"

	"github.com/parley-api/parley/models"
	"gorm.io/gorm"
)

// CreateKey stores a new API key and returns its record and the secret, which is shown
// once and never stored.
func (s *Store) CreateKey(ctx context.Context, name string, scope models.Scope) (*models.APIKey, string, error) {
	k, secret := models.NewAPIKey(name, scope)
	if err := k.Validate(); err != nil {
		return nil, "", err
	}
	k.CreatedAt = now()
	if err := transact(ctx, s.db, func(tx *gorm.DB) error { return tx.Create(k).Error }); err != nil {
		return nil, "", dbError(err, "key")
	}
	return k, secret, nil
}

// ListKeys lists every key, revoked ones included, oldest first.
func (s *Store) ListKeys(ctx context.Context) ([]models.APIKey, error) {
	keys := []models.APIKey{}
	err := s.db.WithContext(ctx).Order("created_at, id").Find(&keys).Error
	return keys, dbError(err, "key")
}

// RevokeKey revokes the key with id or prefix ref; revoking twice is not an error.
func (s *Store) RevokeKey(ctx context.Context, ref string) (*models.APIKey, error) {
	var k models.APIKey
	q := s.db.WithContext(ctx)
	if id, err := models.ParseID(ref); err == nil {
		q = q.Where("id = ?", id)
	} else {
		q = q.Where("prefix = ?", ref)
	}
	if err := q.Take(&k).Error; err != nil {
		if err := dbError(err, "key"); models.ErrorCodeOf(err) == models.ENOTFOUND {
			return nil, models.NotFound("key", ref)
		}
		return nil, dbError(err, "key")
	}
	if k.RevokedAt == nil {
		t := now()
		k.RevokedAt = &t
		if err := transact(ctx, s.db, func(tx *gorm.DB) error { return tx.Model(&k).Update("revoked_at", t).Error }); err != nil {
			return nil, dbError(err, "key")
		}
	}
	return &k, nil
}

// Authenticate returns the live key whose secret this is. An unknown, malformed or
// revoked key is EUNAUTHORIZED, with the same message whichever it is.
func (s *Store) Authenticate(ctx context.Context, secret string) (*models.APIKey, error) {
	bad := models.Errorf(models.EUNAUTHORIZED, "the API key is not valid")
	prefix := models.KeyPrefixOf(secret)
	if prefix == "" {
		return nil, bad
	}
	var keys []models.APIKey
	if err := s.db.WithContext(ctx).Where("prefix = ?", prefix).Limit(1).Find(&keys).Error; err != nil {
		return nil, dbError(err, "key")
	}
	if len(keys) == 0 || !keys[0].Matches(secret) || keys[0].RevokedAt != nil {
		return nil, bad
	}
	return &keys[0], nil
}
