// Package article defines the Article every other package passes around,
// the rule that gives each article its key, and Validate. Standard library only.
package article
