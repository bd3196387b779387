-- Queries compared between one plain PostgreSQL and Zynamo clusters. Each ends with ";" at the
-- end of its line; "-- ordered" before a query compares rows in order (else as multisets).

SELECT id, name, city, country, vip, credit, created FROM customers;

SELECT count(*) FROM customers;

SELECT * FROM customers WHERE false;

SELECT customer_id, id, status, total, placed, note FROM orders;

SELECT count(*) FROM orders;

SELECT * FROM orders WHERE false;

SELECT customer_id, order_id, line, product_code, qty, price FROM order_lines;

SELECT count(*) FROM order_lines;

SELECT * FROM order_lines WHERE false;

SELECT id, customer_id, kind, at, payload, score FROM events;

SELECT count(*) FROM events;

SELECT * FROM events WHERE false;

SELECT id, name, city FROM customers WHERE city = 'Paris';

SELECT count(*), sum(credit), min(name), max(name) FROM customers WHERE city = 'Paris';

SELECT id, name, city FROM customers WHERE city IS NULL;

SELECT count(*), sum(credit), min(name), max(name) FROM customers WHERE city IS NULL;

SELECT id, name, city FROM customers WHERE city IS NOT NULL AND vip;

SELECT count(*), sum(credit), min(name), max(name) FROM customers WHERE city IS NOT NULL AND vip;

SELECT id, name, city FROM customers WHERE credit > 500;

SELECT count(*), sum(credit), min(name), max(name) FROM customers WHERE credit > 500;

SELECT id, name, city FROM customers WHERE credit BETWEEN 100 AND 200;

SELECT count(*), sum(credit), min(name), max(name) FROM customers WHERE credit BETWEEN 100 AND 200;

SELECT id, name, city FROM customers WHERE name LIKE 'A%';

SELECT count(*), sum(credit), min(name), max(name) FROM customers WHERE name LIKE 'A%';

SELECT id, name, city FROM customers WHERE name ILIKE '%e%';

SELECT count(*), sum(credit), min(name), max(name) FROM customers WHERE name ILIKE '%e%';

SELECT id, name, city FROM customers WHERE lower(name) = 'zoe';

SELECT count(*), sum(credit), min(name), max(name) FROM customers WHERE lower(name) = 'zoe';

SELECT id, name, city FROM customers WHERE name = '';

SELECT count(*), sum(credit), min(name), max(name) FROM customers WHERE name = '';

SELECT id, name, city FROM customers WHERE name < 'M';

SELECT count(*), sum(credit), min(name), max(name) FROM customers WHERE name < 'M';

SELECT id, name, city FROM customers WHERE country IN ('FR','DE');

SELECT count(*), sum(credit), min(name), max(name) FROM customers WHERE country IN ('FR','DE');

SELECT id, name, city FROM customers WHERE country NOT IN ('FR','DE');

SELECT count(*), sum(credit), min(name), max(name) FROM customers WHERE country NOT IN ('FR','DE');

SELECT id, name, city FROM customers WHERE vip IS NOT TRUE;

SELECT count(*), sum(credit), min(name), max(name) FROM customers WHERE vip IS NOT TRUE;

SELECT id, name, city FROM customers WHERE credit IS NULL;

SELECT count(*), sum(credit), min(name), max(name) FROM customers WHERE credit IS NULL;

SELECT id, name, city FROM customers WHERE created >= '2024-06-01';

SELECT count(*), sum(credit), min(name), max(name) FROM customers WHERE created >= '2024-06-01';

SELECT id, name, city FROM customers WHERE id % 7 = 3;

SELECT count(*), sum(credit), min(name), max(name) FROM customers WHERE id % 7 = 3;

SELECT id, name, city FROM customers WHERE length(name) > 8;

SELECT count(*), sum(credit), min(name), max(name) FROM customers WHERE length(name) > 8;

SELECT id, name, city FROM customers WHERE name ~ '^[A-Z]';

SELECT count(*), sum(credit), min(name), max(name) FROM customers WHERE name ~ '^[A-Z]';

SELECT id, name, city FROM customers WHERE coalesce(city, 'none') = 'none';

SELECT count(*), sum(credit), min(name), max(name) FROM customers WHERE coalesce(city, 'none') = 'none';

SELECT id, name, city FROM customers WHERE credit::int % 2 = 0;

SELECT count(*), sum(credit), min(name), max(name) FROM customers WHERE credit::int % 2 = 0;

SELECT customer_id, id, status, total FROM orders WHERE status = 'shipped';

SELECT status, count(*), sum(total), avg(total), min(placed), max(placed) FROM orders WHERE status = 'shipped' GROUP BY status;

SELECT customer_id, id, status, total FROM orders WHERE status <> 'cancelled';

SELECT status, count(*), sum(total), avg(total), min(placed), max(placed) FROM orders WHERE status <> 'cancelled' GROUP BY status;

SELECT customer_id, id, status, total FROM orders WHERE total > 250.50;

SELECT status, count(*), sum(total), avg(total), min(placed), max(placed) FROM orders WHERE total > 250.50 GROUP BY status;

SELECT customer_id, id, status, total FROM orders WHERE total IS NULL;

SELECT status, count(*), sum(total), avg(total), min(placed), max(placed) FROM orders WHERE total IS NULL GROUP BY status;

SELECT customer_id, id, status, total FROM orders WHERE note IS NOT NULL;

SELECT status, count(*), sum(total), avg(total), min(placed), max(placed) FROM orders WHERE note IS NOT NULL GROUP BY status;

SELECT customer_id, id, status, total FROM orders WHERE placed < '2024-03-01 00:00:00+00';

SELECT status, count(*), sum(total), avg(total), min(placed), max(placed) FROM orders WHERE placed < '2024-03-01 00:00:00+00' GROUP BY status;

SELECT customer_id, id, status, total FROM orders WHERE date_trunc('month', placed) = '2024-02-01 00:00:00+00';

SELECT status, count(*), sum(total), avg(total), min(placed), max(placed) FROM orders WHERE date_trunc('month', placed) = '2024-02-01 00:00:00+00' GROUP BY status;

SELECT customer_id, id, status, total FROM orders WHERE customer_id < 20;

SELECT status, count(*), sum(total), avg(total), min(placed), max(placed) FROM orders WHERE customer_id < 20 GROUP BY status;

SELECT customer_id, id, status, total FROM orders WHERE id IN (1, 2, 3, 100, 200);

SELECT status, count(*), sum(total), avg(total), min(placed), max(placed) FROM orders WHERE id IN (1, 2, 3, 100, 200) GROUP BY status;

SELECT customer_id, id, status, total FROM orders WHERE extract(dow FROM placed) = 1;

SELECT status, count(*), sum(total), avg(total), min(placed), max(placed) FROM orders WHERE extract(dow FROM placed) = 1 GROUP BY status;

SELECT count(*) FROM customers;

SELECT count(city) FROM customers;

SELECT count(DISTINCT city) FROM customers;

SELECT count(DISTINCT country) FROM customers;

SELECT sum(credit) FROM customers;

SELECT avg(credit) FROM customers;

SELECT min(credit) FROM customers;

SELECT max(credit) FROM customers;

SELECT min(created) FROM customers;

SELECT max(created) FROM customers;

SELECT bool_and(vip) FROM customers;

SELECT bool_or(vip) FROM customers;

SELECT string_agg(name, ',' ORDER BY name, id) FROM customers;

SELECT array_agg(id ORDER BY id) FROM customers;

SELECT stddev_samp(credit) FROM customers;

SELECT var_pop(credit) FROM customers;

SELECT sum(credit) FILTER (WHERE vip) FROM customers;

SELECT count(*) FILTER (WHERE city IS NULL) FROM customers;

SELECT max(length(name)) FROM customers;

SELECT min(name COLLATE "C") FROM customers;

SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY credit) FROM customers;

SELECT mode() WITHIN GROUP (ORDER BY country) FROM customers;

SELECT json_agg(id ORDER BY id) FROM customers;

SELECT every(credit > 0) FROM customers;

SELECT sum(id) FROM customers;

SELECT count(*) FROM order_lines;

SELECT product_code, count(*) FROM order_lines GROUP BY product_code;

SELECT sum(qty) FROM order_lines;

SELECT product_code, sum(qty) FROM order_lines GROUP BY product_code;

SELECT sum(qty * price) FROM order_lines;

SELECT product_code, sum(qty * price) FROM order_lines GROUP BY product_code;

SELECT avg(price) FROM order_lines;

SELECT product_code, avg(price) FROM order_lines GROUP BY product_code;

SELECT min(product_code) FROM order_lines;

SELECT product_code, min(product_code) FROM order_lines GROUP BY product_code;

SELECT max(price) FROM order_lines;

SELECT product_code, max(price) FROM order_lines GROUP BY product_code;

SELECT count(DISTINCT product_code) FROM order_lines;

SELECT product_code, count(DISTINCT product_code) FROM order_lines GROUP BY product_code;

SELECT country, count(*), sum(credit) FROM customers GROUP BY country;

SELECT country, count(*) FROM customers GROUP BY country HAVING count(*) > 5;

SELECT city, count(*), sum(credit) FROM customers GROUP BY city;

SELECT city, count(*) FROM customers GROUP BY city HAVING count(*) > 5;

SELECT vip, count(*), sum(credit) FROM customers GROUP BY vip;

SELECT vip, count(*) FROM customers GROUP BY vip HAVING count(*) > 5;

SELECT country, vip, count(*), sum(credit) FROM customers GROUP BY country, vip;

SELECT country, vip, count(*) FROM customers GROUP BY country, vip HAVING count(*) > 5;

SELECT date_trunc('month', created), count(*), sum(credit) FROM customers GROUP BY date_trunc('month', created);

SELECT date_trunc('month', created), count(*) FROM customers GROUP BY date_trunc('month', created) HAVING count(*) > 5;

SELECT credit > 300, count(*), sum(credit) FROM customers GROUP BY credit > 300;

SELECT credit > 300, count(*) FROM customers GROUP BY credit > 300 HAVING count(*) > 5;

SELECT left(name, 1), count(*), sum(credit) FROM customers GROUP BY left(name, 1);

SELECT left(name, 1), count(*) FROM customers GROUP BY left(name, 1) HAVING count(*) > 5;

SELECT status, customer_id % 3 AS m, count(*), sum(total) FROM orders GROUP BY ROLLUP (status, customer_id % 3);

SELECT status, count(*) FROM orders GROUP BY CUBE (status);

SELECT kind, count(*), min(at), max(at), sum(score) FROM events GROUP BY kind;

SELECT kind, payload ->> 'source' AS source, count(*) FROM events GROUP BY 1, 2;

SELECT customer_id, count(*) FROM events WHERE customer_id IS NOT NULL GROUP BY customer_id HAVING count(*) >= 4;

-- ordered
SELECT id, name, city, credit FROM customers ORDER BY id LIMIT 10;

-- ordered
SELECT id, name FROM customers ORDER BY id LIMIT 7 OFFSET 13;

-- ordered
SELECT id, name, city, credit FROM customers ORDER BY id DESC LIMIT 10;

-- ordered
SELECT id, name FROM customers ORDER BY id DESC LIMIT 7 OFFSET 13;

-- ordered
SELECT id, name, city, credit FROM customers ORDER BY name, id LIMIT 10;

-- ordered
SELECT id, name FROM customers ORDER BY name, id LIMIT 7 OFFSET 13;

-- ordered
SELECT id, name, city, credit FROM customers ORDER BY credit DESC NULLS LAST, id LIMIT 10;

-- ordered
SELECT id, name FROM customers ORDER BY credit DESC NULLS LAST, id LIMIT 7 OFFSET 13;

-- ordered
SELECT id, name, city, credit FROM customers ORDER BY city NULLS FIRST, id LIMIT 10;

-- ordered
SELECT id, name FROM customers ORDER BY city NULLS FIRST, id LIMIT 7 OFFSET 13;

-- ordered
SELECT id, name, city, credit FROM customers ORDER BY country DESC, credit, id LIMIT 10;

-- ordered
SELECT id, name FROM customers ORDER BY country DESC, credit, id LIMIT 7 OFFSET 13;

-- ordered
SELECT id, name, city, credit FROM customers ORDER BY name COLLATE "C", id LIMIT 10;

-- ordered
SELECT id, name FROM customers ORDER BY name COLLATE "C", id LIMIT 7 OFFSET 13;

-- ordered
SELECT id, name, city, credit FROM customers ORDER BY created, id LIMIT 10;

-- ordered
SELECT id, name FROM customers ORDER BY created, id LIMIT 7 OFFSET 13;

-- ordered
SELECT id, name FROM customers ORDER BY id OFFSET 190;

-- ordered
SELECT id FROM customers ORDER BY id FETCH FIRST 3 ROWS ONLY;

-- ordered
SELECT customer_id, id, total FROM orders ORDER BY total DESC NULLS LAST, customer_id, id LIMIT 15;

-- ordered
SELECT id, kind, at FROM events ORDER BY at DESC, id LIMIT 20;

-- ordered
SELECT * FROM order_lines ORDER BY price DESC, customer_id, order_id, line LIMIT 12;

-- ordered
SELECT status, count(*) AS n FROM orders GROUP BY status ORDER BY n DESC, status;

-- ordered
SELECT country, sum(credit) AS s FROM customers GROUP BY country ORDER BY s DESC NULLS LAST, country LIMIT 3;

SELECT DISTINCT city FROM customers;

SELECT DISTINCT country, vip FROM customers;

-- ordered
SELECT DISTINCT status FROM orders ORDER BY status;

-- ordered
SELECT DISTINCT ON (country) country, id, name FROM customers ORDER BY country, id;

-- ordered
SELECT DISTINCT ON (customer_id) customer_id, id, total FROM orders ORDER BY customer_id, total DESC NULLS LAST, id;

SELECT count(*) FROM (SELECT DISTINCT product_code, qty FROM order_lines) d;

SELECT c.id, c.name, o.id, o.total FROM customers c JOIN orders o ON o.customer_id = c.id;

SELECT c.id, count(o.id) FROM customers c LEFT JOIN orders o ON o.customer_id = c.id GROUP BY c.id;

SELECT c.country, sum(o.total) FROM customers c JOIN orders o ON o.customer_id = c.id GROUP BY c.country;

SELECT o.customer_id, o.id, sum(l.qty * l.price) FROM orders o JOIN order_lines l ON l.customer_id = o.customer_id AND l.order_id = o.id GROUP BY o.customer_id, o.id;

SELECT p.category, sum(l.qty) FROM order_lines l JOIN products p ON p.code = l.product_code GROUP BY p.category;

SELECT p.code, p.title, count(l.line) FROM products p LEFT JOIN order_lines l ON l.product_code = p.code GROUP BY p.code, p.title;

SELECT e.id, c.name FROM events e JOIN customers c ON c.id = e.customer_id WHERE e.kind = 'click';

SELECT c.name, count(e.id) FROM customers c LEFT JOIN events e ON e.customer_id = c.id GROUP BY c.id, c.name;

SELECT e.kind, c.country, count(*) FROM events e JOIN customers c ON c.id = e.customer_id GROUP BY 1, 2;

SELECT a.id, b.id FROM customers a JOIN customers b ON a.city = b.city AND a.id < b.id WHERE a.id < 40;

SELECT c.id, o.id FROM customers c FULL JOIN orders o ON o.customer_id = c.id AND o.status = 'new' WHERE c.id IS NULL OR o.id IS NULL;

SELECT count(*) FROM customers c CROSS JOIN products p WHERE c.id < 5;

SELECT c.id, o.id, l.line, p.title FROM customers c JOIN orders o ON o.customer_id = c.id JOIN order_lines l ON l.customer_id = o.customer_id AND l.order_id = o.id JOIN products p ON p.code = l.product_code WHERE c.vip;

SELECT o.id, e.id FROM orders o JOIN events e ON e.customer_id = o.customer_id AND e.at::date = o.placed::date;

SELECT c.id, x.n FROM customers c, LATERAL (SELECT count(*) AS n FROM orders o WHERE o.customer_id = c.id) x WHERE c.id < 30;

SELECT c.name, o.total FROM customers c JOIN orders o USING (id);

-- ordered
SELECT c.id, c.name, o.id FROM customers c JOIN orders o ON o.customer_id = c.id ORDER BY o.total DESC NULLS LAST, c.id, o.id LIMIT 10;

SELECT id, name FROM customers WHERE credit = (SELECT max(credit) FROM customers);

SELECT id FROM customers WHERE credit > (SELECT avg(credit) FROM customers);

SELECT id FROM customers WHERE id IN (SELECT customer_id FROM orders WHERE status = 'shipped');

SELECT id FROM customers WHERE id NOT IN (SELECT customer_id FROM orders);

SELECT id FROM customers WHERE id NOT IN (SELECT customer_id FROM events);

SELECT id FROM customers c WHERE EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id AND o.total > 400);

SELECT id FROM customers c WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.customer_id = c.id);

SELECT id, (SELECT count(*) FROM orders o WHERE o.customer_id = c.id) AS n FROM customers c;

SELECT id, (SELECT max(total) FROM orders o WHERE o.customer_id = c.id) FROM customers c WHERE vip;

SELECT o.customer_id, o.id FROM orders o WHERE o.total = (SELECT max(total) FROM orders o2 WHERE o2.customer_id = o.customer_id);

SELECT count(*) FROM (SELECT customer_id FROM orders GROUP BY customer_id HAVING sum(total) > 1000) big;

SELECT * FROM (SELECT country, count(*) AS n FROM customers GROUP BY country) t WHERE n > 10;

SELECT id FROM events WHERE customer_id = ANY (SELECT id FROM customers WHERE city = 'Paris');

SELECT max(total) FROM orders WHERE customer_id IN (SELECT id FROM customers WHERE country = 'FR');

SELECT id FROM customers WHERE credit > ALL (SELECT total FROM orders WHERE total IS NOT NULL AND customer_id = 3);

WITH big AS (SELECT customer_id, sum(total) s FROM orders GROUP BY customer_id) SELECT c.name, b.s FROM big b JOIN customers c ON c.id = b.customer_id WHERE b.s > 800;

WITH x AS (SELECT id FROM customers WHERE vip), y AS (SELECT customer_id FROM orders WHERE status = 'new') SELECT count(*) FROM x JOIN y ON y.customer_id = x.id;

WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 5) SELECT r.n, count(c.id) FROM r LEFT JOIN customers c ON c.id % 5 = r.n - 1 GROUP BY r.n;

WITH m AS MATERIALIZED (SELECT * FROM orders WHERE total > 100) SELECT status, count(*) FROM m GROUP BY status;

SELECT id, row_number() OVER (ORDER BY id) FROM customers;

SELECT customer_id, id, rank() OVER (PARTITION BY customer_id ORDER BY total DESC NULLS LAST, id) FROM orders;

SELECT customer_id, id, sum(total) OVER (PARTITION BY customer_id ORDER BY id) FROM orders;

SELECT id, credit, lag(credit) OVER (ORDER BY id), lead(id) OVER (ORDER BY id) FROM customers;

SELECT country, id, ntile(4) OVER (PARTITION BY country ORDER BY id) FROM customers;

SELECT id, count(*) OVER () FROM events WHERE kind = 'view';

SELECT id, avg(credit) OVER (PARTITION BY country) FROM customers;

SELECT * FROM (SELECT customer_id, id, row_number() OVER (PARTITION BY customer_id ORDER BY placed, id) rn FROM orders) t WHERE rn = 1;

SELECT id, first_value(name) OVER w, last_value(name) OVER w FROM customers WINDOW w AS (ORDER BY id ROWS BETWEEN 2 PRECEDING AND 2 FOLLOWING);

SELECT id, dense_rank() OVER (ORDER BY country NULLS LAST), percent_rank() OVER (ORDER BY id) FROM customers;

SELECT city FROM customers UNION SELECT status FROM orders;

SELECT customer_id FROM orders UNION ALL SELECT customer_id FROM events WHERE customer_id IS NOT NULL;

SELECT id FROM customers INTERSECT SELECT customer_id FROM orders;

SELECT id FROM customers EXCEPT SELECT customer_id FROM events;

SELECT id FROM customers EXCEPT ALL SELECT customer_id FROM orders;

(SELECT id FROM customers ORDER BY id LIMIT 3) UNION ALL (SELECT id FROM events ORDER BY id LIMIT 3);

SELECT kind FROM events INTERSECT ALL SELECT 'click';

-- ordered
SELECT name FROM customers ORDER BY name, id;

-- ordered
SELECT name FROM customers ORDER BY name DESC, id;

SELECT upper(name), lower(name), initcap(name), reverse(name) FROM customers;

SELECT name, length(name), octet_length(name) FROM customers WHERE name ~ '[^a-zA-Z ]';

SELECT min(name), max(name) FROM customers;

SELECT city, string_agg(name, '|' ORDER BY name, id) FROM customers GROUP BY city;

SELECT name FROM customers WHERE name > 'Z' OR name < 'B';

SELECT count(*) FROM customers WHERE name = 'émile';

SELECT translate(name, 'aeiou', 'AEIOU') FROM customers WHERE id < 25;

SELECT substr(name, 2, 3), position('e' IN name) FROM customers;

SELECT sum(credit), sum(credit * 1.1), round(avg(credit), 6) FROM customers;

SELECT credit / 3, credit::float8, trunc(credit) FROM customers WHERE credit IS NOT NULL;

SELECT sum(price * qty)::numeric(20,3), avg(qty) FROM order_lines;

SELECT date_trunc('day', placed), count(*) FROM orders GROUP BY 1;

SELECT extract(year FROM created), extract(month FROM created), count(*) FROM customers GROUP BY 1, 2;

SELECT id, at + interval '1 day', at::date FROM events WHERE at < '2024-02-01';

SELECT max(placed) - min(placed) FROM orders;

SELECT to_char(created, 'YYYY-MM'), count(*) FROM customers GROUP BY 1;

SELECT count(*) FROM events WHERE at BETWEEN '2024-03-01' AND '2024-03-31 23:59:59';

SELECT age(timestamp '2025-01-01', at) FROM events WHERE id < 10;

SELECT id, payload ->> 'source' FROM events WHERE payload ? 'source';

SELECT id FROM events WHERE payload @> '{"mobile": true}';

SELECT payload -> 'tags' ->> 0, count(*) FROM events GROUP BY 1;

SELECT jsonb_agg(id ORDER BY id) FROM events WHERE kind = 'buy';

SELECT count(*) FROM events WHERE payload IS NULL;

SELECT (payload ->> 'amount')::numeric, id FROM events WHERE payload ? 'amount';

SELECT CASE WHEN credit > 500 THEN 'high' WHEN credit > 100 THEN 'mid' ELSE 'low' END, count(*) FROM customers GROUP BY 1;

SELECT coalesce(city, country, 'nowhere'), nullif(country, 'FR') FROM customers;

SELECT greatest(credit, 100), least(credit, 100) FROM customers;

SELECT id::text || '-' || name FROM customers WHERE id < 20;

SELECT count(*) FROM customers WHERE (city, country) = ('Paris', 'FR');

SELECT id FROM customers WHERE city IS DISTINCT FROM 'Paris';

SELECT array_length(array_agg(id), 1) FROM orders;

SELECT unnest(ARRAY[1, 2]) AS k, count(*) FROM customers GROUP BY k;

SELECT generate_series(1, 3), id FROM customers WHERE id < 4;

SELECT c.id FROM customers c WHERE c.credit > 100 AND c.vip AND c.city LIKE '%o%';

SELECT o.status FROM orders AS o WHERE o.total < 50;

SELECT public.orders.id FROM public.orders WHERE public.orders.total > 450;

SELECT count(*) FROM public.customers c JOIN public.orders o ON o.customer_id = c.id;

SELECT * FROM products;

SELECT category, count(*) FROM products GROUP BY category;

SELECT title FROM products WHERE weight > 1.5;

VALUES (1, 'a'), (2, 'b');

SELECT 1 + 1, 'x' || 'y';

SELECT id FROM customers WHERE id = 5 OR id = 6;

-- ordered
SELECT id FROM customers WHERE id IN (5, 6, 7) ORDER BY id;

SELECT count(*) FROM customers WHERE id IN (5, 6, 7, 8);

SELECT max(credit) FROM customers WHERE id IN (1, 2, 3, 4, 5, 6);

SELECT DISTINCT country FROM customers WHERE id IN (10, 20, 30, 40);

SELECT id, name FROM customers WHERE id IN (1, 50, 100, 150) LIMIT 100;

-- ordered
SELECT * FROM orders WHERE customer_id = 7 ORDER BY id;

SELECT count(*), sum(total) FROM orders WHERE customer_id = 7;

SELECT count(*) FROM events WHERE id > 100 AND id <= 200;

-- ordered
SELECT * FROM events WHERE kind = 'click' AND score > 50 ORDER BY id LIMIT 5;

-- ordered
SELECT kind, max(score), min(score) FROM events GROUP BY kind ORDER BY kind;

SELECT id FROM events WHERE customer_id IS NULL;

SELECT count(*) FROM events e WHERE e.kind IN ('click', 'buy') AND e.score IS NOT NULL;

SELECT c.id, c.name, sum(l.qty * l.price) AS spent FROM customers c JOIN order_lines l ON l.customer_id = c.id GROUP BY c.id, c.name HAVING sum(l.qty * l.price) > 500;

SELECT o.status, p.category, count(*) FROM orders o JOIN order_lines l ON l.customer_id = o.customer_id AND l.order_id = o.id JOIN products p ON p.code = l.product_code GROUP BY 1, 2;

SELECT c.country, count(DISTINCT o.customer_id) FROM customers c JOIN orders o ON o.customer_id = c.id GROUP BY c.country;

SELECT e.kind, avg(e.score)::numeric(10,4) FROM events e WHERE e.customer_id IN (SELECT id FROM customers WHERE vip) GROUP BY e.kind;

-- ordered
SELECT id, name FROM customers WHERE id IN (SELECT customer_id FROM events GROUP BY customer_id HAVING count(*) > 5) ORDER BY id;

SELECT count(*) FROM orders o WHERE NOT EXISTS (SELECT 1 FROM order_lines l WHERE l.customer_id = o.customer_id AND l.order_id = o.id AND l.qty > 5);

SELECT customer_id, max(placed) FROM orders GROUP BY customer_id HAVING max(total) IS NULL OR max(total) < 100;

SELECT p.code FROM products p WHERE NOT EXISTS (SELECT 1 FROM order_lines l WHERE l.product_code = p.code);

SELECT city, country, count(*) FROM customers GROUP BY GROUPING SETS ((city), (country), ());

SELECT status, sum(total) FILTER (WHERE note IS NULL), sum(total) FILTER (WHERE note IS NOT NULL) FROM orders GROUP BY status;

-- ordered
SELECT id, name FROM customers ORDER BY length(name) DESC, name, id LIMIT 8;

-- ordered
SELECT id, credit FROM customers WHERE credit IS NOT NULL ORDER BY credit, id OFFSET 5 LIMIT 5;

-- ordered
SELECT id, kind FROM events ORDER BY kind, score DESC NULLS FIRST, id LIMIT 9;

-- ordered
SELECT customer_id, count(*) FROM orders GROUP BY customer_id ORDER BY count(*) DESC, customer_id LIMIT 5;

-- ordered
SELECT * FROM (SELECT id, rank() OVER (ORDER BY credit DESC NULLS LAST) r FROM customers) t WHERE r <= 3 ORDER BY r, id;

SELECT o.customer_id, o.id, o.total, sum(o.total) OVER (PARTITION BY o.customer_id ORDER BY o.placed, o.id ROWS UNBOUNDED PRECEDING) FROM orders o WHERE o.customer_id < 50;

SELECT kind, id, score, avg(score) OVER (PARTITION BY kind ORDER BY id ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)::numeric(10,3) FROM events WHERE id < 100;

SELECT country, count(*), rank() OVER (ORDER BY count(*) DESC) FROM customers GROUP BY country;

SELECT name FROM customers WHERE name LIKE '% %' AND name NOT LIKE 'A%';

SELECT split_part(name, ' ', 1), count(*) FROM customers GROUP BY 1;

SELECT name, name < 'a', name COLLATE "C" < 'a' FROM customers WHERE id < 30;

SELECT regexp_replace(name, '[0-9]+', '#'), count(*) FROM customers GROUP BY 1;

SELECT left(coalesce(city, '?'), 2) || '/' || coalesce(country, '??'), count(*) FROM customers GROUP BY 1;

SELECT sum(credit) / nullif(count(credit), 0), avg(credit) FROM customers;

SELECT round(sum(price * qty) / sum(qty), 5) FROM order_lines;

SELECT product_code, sum(qty)::bigint * 2, min(price) * max(qty) FROM order_lines GROUP BY product_code;

SELECT width_bucket(credit, 0, 1000, 10), count(*) FROM customers GROUP BY 1;

SELECT date_part('hour', placed), count(*) FROM orders GROUP BY 1;

SELECT placed::date, sum(total) FROM orders WHERE placed < '2024-02-01' GROUP BY 1;

SELECT id FROM orders WHERE placed AT TIME ZONE 'Asia/Tokyo' < '2024-01-15';

SELECT extract(epoch FROM max(at) - min(at)) FROM events;

SELECT jsonb_object_agg(id, kind ORDER BY id) FROM events WHERE id <= 10;

SELECT payload ->> 'source', count(*), sum((payload ->> 'amount')::numeric) FROM events GROUP BY 1;

SELECT id FROM events WHERE payload -> 'tags' @> '["c"]';

SELECT jsonb_array_length(payload -> 'tags'), count(*) FROM events WHERE payload ? 'tags' GROUP BY 1;

SELECT count(*) FROM events WHERE (payload ->> 'mobile')::boolean;

SELECT customer_id FROM orders INTERSECT SELECT customer_id FROM events;

SELECT id FROM customers WHERE vip UNION SELECT customer_id FROM orders WHERE total > 480;

SELECT status AS label FROM orders UNION ALL SELECT kind FROM events UNION SELECT category FROM products;

WITH t AS (SELECT customer_id, count(*) n FROM events GROUP BY customer_id), u AS (SELECT customer_id, count(*) m FROM orders GROUP BY customer_id) SELECT coalesce(t.customer_id, u.customer_id), t.n, u.m FROM t FULL JOIN u ON u.customer_id = t.customer_id;

WITH RECURSIVE chain(id, depth) AS (SELECT id, 0 FROM customers WHERE id = 1 UNION ALL SELECT c.id, ch.depth + 1 FROM chain ch JOIN customers c ON c.id = ch.id + 17 WHERE ch.depth < 6) SELECT * FROM chain;

SELECT (SELECT count(*) FROM customers) + (SELECT count(*) FROM events);

SELECT EXISTS (SELECT 1 FROM orders WHERE total > 499);

SELECT id FROM customers c WHERE (SELECT count(*) FROM events e WHERE e.customer_id = c.id) = (SELECT count(*) FROM orders o WHERE o.customer_id = c.id);

SELECT c.id, latest.id FROM customers c LEFT JOIN LATERAL (SELECT id FROM orders o WHERE o.customer_id = c.id ORDER BY placed DESC, id DESC LIMIT 1) latest ON true WHERE c.id < 40;

SELECT count(*) FROM customers WHERE id BETWEEN 50 AND 60 AND city IS NOT NULL;

SELECT max(id), min(id), count(*) FROM events WHERE kind <> 'view' AND score BETWEEN 10 AND 20;

SELECT DISTINCT kind, customer_id IS NULL FROM events;

SELECT array_agg(DISTINCT country ORDER BY country) FROM customers;

SELECT count(*) FILTER (WHERE name ~* 'e'), count(*) FILTER (WHERE name !~ '[0-9]') FROM customers;

-- Computed partly on each node ("-- pushed": EXPLAIN through Zynamo must show that the nodes sent
-- partial results: partial aggregates, DISTINCT, ORDER BY ... LIMIT), or knowingly gathered whole
-- ("-- whole": what is not merged exactly from partial results).

-- pushed
SELECT count(*), count(score), sum(score), avg(score), min(score), max(score) FROM events;

-- pushed
SELECT kind, count(*), sum(score), avg(score), min(at), max(at) FROM events GROUP BY kind;

-- pushed
SELECT sum(id), avg(id), sum(customer_id), avg(customer_id) FROM events;

-- pushed
SELECT avg(score::float8), sum(score::float8), min(score::float8) FROM events;

-- pushed
SELECT kind, avg(at - timestamp '2024-01-01'), sum(at - timestamp '2024-01-01'), max(at - timestamp '2024-01-01') FROM events GROUP BY kind;

-- whole
SELECT avg(score::real) FROM events;

-- pushed
SELECT bool_and(vip), bool_or(vip), every(credit > 0) FROM customers;

-- pushed
SELECT kind, bit_and(score), bit_or(score), bit_xor(score) FROM events GROUP BY kind;

-- pushed
SELECT city, country, count(*) FROM customers GROUP BY city, country HAVING count(*) > 1;

-- pushed
SELECT city, count(*) FROM customers GROUP BY 1 HAVING sum(credit) > 1000 AND max(name) > 'B';

-- ordered
-- pushed
SELECT status, count(*) AS n, sum(total) AS s FROM orders GROUP BY status ORDER BY n DESC, status LIMIT 2;

-- pushed
SELECT count(*), sum(credit), avg(credit), min(name), bool_and(vip) FROM customers WHERE false;

-- pushed
SELECT city, count(*) FROM customers WHERE false GROUP BY city;

-- pushed
SELECT coalesce(sum(score), 0) + 1, sum(score) / count(*), avg(score)::int, round(avg(score), 3) AS r FROM events;

-- pushed
SELECT count(*) FILTER (WHERE kind = 'buy'), avg(score) FILTER (WHERE kind <> 'buy'), sum(score) FILTER (WHERE score > 50) FROM events;

-- pushed
SELECT kind, count(*) FROM events GROUP BY kind HAVING count(*) FILTER (WHERE score IS NULL) > 5;

-- pushed
SELECT DISTINCT city FROM customers;

-- ordered
-- pushed
SELECT DISTINCT city, country FROM customers ORDER BY city NULLS FIRST, country;

-- pushed
SELECT status, max(total) AS top, max(total) AS top_again, min(note) FROM orders GROUP BY status;

-- pushed
SELECT upper(kind), count(*) FROM events GROUP BY kind;

-- pushed
SELECT customer_id, sum(qty * price), count(*), avg(qty) FROM order_lines GROUP BY customer_id;

-- pushed
SELECT c.city, min(c.created), max(c.created), count(c.vip) FROM customers c WHERE c.vip GROUP BY c.city;

-- pushed
SELECT pg_catalog.count(*), pg_catalog.max(name) FROM customers;

-- pushed
SELECT count(*), max(id) FROM events WHERE kind IN ('buy', 'share') AND score BETWEEN 10 AND 60;

-- whole
SELECT count(DISTINCT city) FROM customers;

-- whole
SELECT kind, string_agg(id::text, ',' ORDER BY id) FROM events GROUP BY kind;

-- pushed
SELECT date_trunc('month', placed), count(*) FROM orders GROUP BY 1;

-- ordered
-- pushed
SELECT date_trunc('month', placed) AS m, count(*), sum(total) FROM orders GROUP BY date_trunc('month', placed) ORDER BY m;

-- pushed
SELECT lower(name) || '!', count(*) FROM customers GROUP BY lower(name) || '!';

-- pushed
SELECT extract(year FROM created), country IS NULL, count(*), max(credit) FROM customers GROUP BY 1, 2;

-- ordered
-- pushed
SELECT kind, score / 10, count(*) FROM events GROUP BY kind, score / 10 HAVING count(*) > 3 ORDER BY kind, score / 10 NULLS FIRST;

-- whole
SELECT lower(city) || 'x', count(*) FROM customers GROUP BY lower(city);

-- whole
SELECT count(*) FROM events WHERE random() < 2;

-- whole
SELECT kind, stddev(score), count(*) FROM events GROUP BY kind;

-- ordered
-- pushed
SELECT id, name, credit FROM customers ORDER BY credit DESC NULLS LAST, id LIMIT 7;

-- ordered
-- pushed
SELECT * FROM events ORDER BY at, id LIMIT 5 OFFSET 10;

-- ordered
-- pushed
SELECT id, name FROM customers ORDER BY name COLLATE "C", id FETCH FIRST 6 ROWS ONLY;

-- ordered
-- pushed
SELECT id, name FROM customers ORDER BY lower(name), id LIMIT 8;

-- ordered
-- pushed
SELECT id, score FROM events WHERE kind = 'buy' ORDER BY 2 DESC NULLS FIRST, 1 LIMIT 4;

-- ordered
-- pushed
SELECT customer_id, id, total FROM orders WHERE total IS NOT NULL ORDER BY total DESC, id LIMIT 3;

-- pushed
SELECT id FROM events LIMIT 0;

-- ordered
-- pushed
SELECT id, payload->>'source' AS src FROM events ORDER BY payload->>'source' NULLS FIRST, id LIMIT 5;

-- ordered
-- whole
SELECT id, credit AS name FROM customers ORDER BY name, id LIMIT 3;

-- ordered
-- whole
SELECT id, kind FROM events ORDER BY random() < 2, id LIMIT 3;

-- whole
SELECT count(*), max(created) FROM customers WHERE created < now();

-- whole
SELECT date_trunc('year', now()) - date_trunc('year', created) AS d, count(*) FROM customers GROUP BY 1;
