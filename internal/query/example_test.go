package query_test

import (
	"errors"
	"fmt"

	"kho/internal/query"
)

func ExampleParse() {
	n, err := query.Parse(`dân vận OR "dân chủ" -“cơ sở” 2024`)
	if err != nil {
		panic(err)
	}
	fmt.Println(n)
	fmt.Println(query.CountTerms(n), "terms")

	_, err = query.Parse(`"Hà Nội`)
	var syntax *query.SyntaxError
	if errors.As(err, &syntax) {
		fmt.Println(syntax.Pos, err)
	}
	// Output:
	// (dân (vận OR "dân chủ") -"cơ sở" 2024)
	// 7 terms
	// 0 unclosed quote at column 1
}
