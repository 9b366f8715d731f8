module example.com/shop/catalog

go 1.22

require (
	github.com/jackc/pgx/v5 v5.9.2
	golang.org/x/net v0.56.0
	google.golang.org/grpc v1.82.1
)
