-- What each tenant with a budget has spent, by budget period ('2026-12' for a month, 'total' for ever) and currency,
-- in the catalogue's prices; added to as each priced response ends, read before each request.
CREATE TABLE kaiwa_spend (
    tenant   text    NOT NULL,
    period   text    NOT NULL,
    currency text    NOT NULL,
    spent    numeric NOT NULL,
    PRIMARY KEY (tenant, period, currency)
);
