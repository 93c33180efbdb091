package request_test

import (
	"fmt"
	"net/url"
	"time"

	"kho/internal/request"
)

func ExampleParseSearch() {
	hcm := time.FixedZone("ICT", 7*3600)
	v, _ := url.ParseQuery(`q="dân vận" khéo&from=2024-06&to=2024-06&source=tuoitre.vn&sort=newest`)
	req, err := request.ParseSearch(v, hcm)
	if err != nil {
		panic(err)
	}
	fmt.Println(req.Query)
	fmt.Println(req.From, "→", req.To)
	fmt.Println(req.Sources, req.Sort, req.Page, req.Size)

	v, _ = url.ParseQuery("q=khéo&size=500")
	_, err = request.ParseSearch(v, hcm)
	fmt.Println(err)
	// Output:
	// ("dân vận" khéo)
	// 2024-06-01 00:00:00 +0700 ICT → 2024-06-30 23:59:59.999999999 +0700 ICT
	// [tuoitre.vn] 1 1 10
	// size: must be between 1 and 100, got 500
}
