// Command kho ingests Vietnamese news archives into a bleve index and serves
// search over them. See README.md and DESIGN.md "Command line".
package main
