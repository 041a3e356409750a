package handlers

import "github.com/parley-api/parley/models"

// Problem is the RFC 9457 problem-details body of every error response.
type Problem struct {
	Type      string              `json:"type" example:"urn:parley:problem:unprocessable"`
	Title     string              `json:"title" example:"Unprocessable Content"`
	Status    int                 `json:"status" example:"422"`
	Detail    string              `json:"detail,omitempty" example:"validation failed"`
	Instance  string              `json:"instance,omitempty" example:"/api/v1/events"`
	Errors    []models.FieldError `json:"errors,omitempty"`
	RequestID string              `json:"request_id,omitempty"`
}
