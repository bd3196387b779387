-- The differential corpus's schema: customers, orders and order_lines co-located on the customer
-- key; products a reference table; events sharded on their own id. Statements end with ";" at
-- the end of a line. "-- zynamo:" lines run only through Zynamo.
CREATE TABLE customers (id bigint PRIMARY KEY, name text NOT NULL, city text, country char(2),
  vip boolean, credit numeric(12,2), created timestamptz NOT NULL);
CREATE TABLE orders (customer_id bigint NOT NULL, id bigint NOT NULL, status text NOT NULL,
  total numeric(12,2), placed timestamptz NOT NULL, note text, PRIMARY KEY (customer_id, id));
CREATE TABLE order_lines (customer_id bigint NOT NULL, order_id bigint NOT NULL, line int NOT NULL,
  product_code text NOT NULL, qty int NOT NULL, price numeric(10,3) NOT NULL,
  PRIMARY KEY (customer_id, order_id, line));
CREATE TABLE products (code text PRIMARY KEY, title text NOT NULL, category text,
  weight numeric(8,3));
-- zynamo: SELECT zynamo.reference('products');
CREATE TABLE events (id bigint PRIMARY KEY, customer_id bigint, kind text NOT NULL,
  at timestamp NOT NULL, payload jsonb, score int);
