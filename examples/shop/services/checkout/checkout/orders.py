"""Order storage: every query goes through `run`."""

import html
import os

import psycopg2


def connect():
    return psycopg2.connect(host=os.environ.get("DB_HOST", "postgres"), password=os.environ["DB_PASSWORD"])


def run(sql, parameters=()):
    with connect() as connection:
        cursor = connection.cursor()
        cursor.execute(sql, parameters)
        return cursor.fetchall()


def by_customer(name):
    # Flaw: string-built SQL; `run` passes it to the database as it is.
    return run("SELECT id, sku, quantity FROM orders WHERE customer_name = '" + name + "'")


def by_id(order_id):
    # Safe: the value travels as a query parameter.
    return run("SELECT id, sku, quantity FROM orders WHERE id = %s", (order_id,))[0]


def place(customer_id, sku, quantity):
    rows = run(
        "INSERT INTO orders (customer_id, sku, quantity) VALUES (%s, %s, %s) RETURNING id",
        (customer_id, sku, quantity),
    )
    return rows[0][0]


def as_table(rows):
    cells = "".join(
        "<tr>" + "".join("<td>" + html.escape(str(value)) + "</td>" for value in row) + "</tr>"
        for row in rows
    )
    return "<table>" + cells + "</table>"
