"""The order API: Flask, sessions in a signed cookie, orders in PostgreSQL."""

import os

from flask import Flask, redirect, request, session, url_for

from . import orders


def create_app():
    app = Flask(__name__)
    app.secret_key = os.environ["SECRET_KEY"]

    @app.route("/orders/search")
    def search():
        # Flaw: the customer's name is pasted into the SQL text (see orders.by_customer).
        customer = request.args.get("customer", "")
        rows = orders.by_customer(customer)
        # Flaw: the query is echoed into HTML without escaping (reflected XSS).
        header = "<h1>Orders of " + customer + "</h1>"
        return header + orders.as_table(rows)

    @app.route("/orders", methods=["POST"])
    def place_order():
        # Flaw: a state-changing route, and nothing in the app checks a CSRF token.
        order_id = orders.place(session["customer_id"], request.form["sku"], int(request.form["quantity"]))
        return redirect(url_for("receipt", order_id=order_id))

    @app.route("/orders/<int:order_id>")
    def receipt(order_id):
        order = orders.by_id(order_id)
        return orders.as_table([order])

    return app
