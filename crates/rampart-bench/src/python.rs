//! A Python web project at scale, for the Code layer: packages of Flask blueprints whose views
//! read request data and call services in other modules, services that query the database
//! through a shared helper (almost always with parameters), utilities, and classes with
//! methods. A few views are vulnerable on purpose (string-built SQL, a reflected value, a
//! shell command), so the analysis has flows to find across modules; the same for the same
//! seed.

use std::fmt::Write;

use crate::{ManifestFile, Rng};

/// Modules per package: a view, a service and a utility module per slice, and the package's
/// database helper.
const SLICES_PER_PACKAGE: usize = 4;
/// Functions per generated module.
const FUNCTIONS_PER_MODULE: usize = 24;

/// What the generator planted, to check that a scan finds it.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Planted {
    pub sql_injections: usize,
    pub reflected_xss: usize,
    pub command_injections: usize,
}

/// A project of about `lines` lines of Python.
pub fn generate_python(lines: usize, seed: u64) -> (Vec<ManifestFile>, Planted) {
    let mut rng = Rng::new(seed);
    let mut files = Vec::new();
    let mut planted = Planted::default();
    let mut written = 0;
    let mut package = 0;
    while written < lines {
        let name = format!("shop{package}");
        files.push(file(
            &name,
            "__init__.py",
            format!("\"\"\"Package {package}.\"\"\"\n"),
        ));
        files.push(file(&name, "db.py", DB_HELPER.to_owned()));
        for slice in 0..SLICES_PER_PACKAGE {
            for module in [
                views(&mut rng, slice, &mut planted),
                services(&mut rng, slice, &mut planted),
                utilities(&mut rng, slice),
            ] {
                written += module.1.lines().count();
                files.push(file(&name, &module.0, module.1));
            }
        }
        written += DB_HELPER.lines().count() + 1;
        package += 1;
    }
    (files, planted)
}

fn file(package: &str, name: &str, text: String) -> ManifestFile {
    ManifestFile {
        path: format!("{package}/{name}"),
        text,
    }
}

const DB_HELPER: &str = r#""""The package's database access: every query goes through `fetch` or `run`."""

import sqlite3

DATABASE = "shop.db"


def connect():
    return sqlite3.connect(DATABASE)


def fetch(sql, parameters=()):
    connection = connect()
    try:
        cursor = connection.cursor()
        cursor.execute(sql, parameters)
        return cursor.fetchall()
    finally:
        connection.close()


def run(sql, parameters=()):
    connection = connect()
    with connection:
        connection.execute(sql, parameters)
"#;

fn views(rng: &mut Rng, slice: usize, planted: &mut Planted) -> (String, String) {
    let mut text = format!(
        "\"\"\"HTTP views of slice {slice}.\"\"\"\n\nimport html\nimport subprocess\n\n\
         from flask import Blueprint, jsonify, request\n\n\
         from . import services_{slice} as services\nfrom .utilities_{slice} import normalise, \
         summarise\n\nblueprint = Blueprint(\"slice{slice}\", __name__)\n\n"
    );
    for index in 0..FUNCTIONS_PER_MODULE {
        let roll = rng.below(100);
        if roll < 2 {
            planted.reflected_xss += 1;
            let _ = write!(
                text,
                "\n@blueprint.route(\"/greet{index}\")\ndef greet{index}():\n    \
                 name = normalise(request.args.get(\"name\", \"\"))\n    \
                 title = \"<h1>Hello \" + name + \"</h1>\"\n    return title\n\n"
            );
        } else if roll < 3 {
            planted.command_injections += 1;
            let _ = write!(
                text,
                "\n@blueprint.route(\"/ping{index}\")\ndef ping{index}():\n    \
                 host = request.args[\"host\"]\n    \
                 output = subprocess.check_output(\"ping -c 1 \" + host, shell=True)\n    \
                 return jsonify(output=output.decode())\n\n"
            );
        } else if roll < 40 {
            let _ = write!(
                text,
                "\n@blueprint.route(\"/items{index}\")\ndef list_items{index}():\n    \
                 page = int(request.args.get(\"page\", \"1\"))\n    \
                 name = request.args.get(\"name\", \"\")\n    \
                 rows = services.find_items{service}(name, page)\n    total = 0\n    \
                 for row in rows:\n        total += row[\"price\"] * row[\"quantity\"]\n    \
                 if total > 1000:\n        label = \"large\"\n    else:\n        \
                 label = \"small\"\n    return jsonify(items=rows, total=total, label=label)\n\n",
                service = rng.below(FUNCTIONS_PER_MODULE)
            );
        } else if roll < 70 {
            let _ = write!(
                text,
                "\n@blueprint.route(\"/items{index}/<int:item_id>\")\n\
                 def show_item{index}(item_id):\n    \
                 item = services.item_by_id{service}(item_id)\n    \
                 summary = summarise(item, [\"name\", \"price\"])\n    \
                 note = html.escape(request.args.get(\"note\", \"\"))\n    \
                 return \"<p>\" + note + \"</p><pre>\" + html.escape(summary) + \"</pre>\"\n\n",
                service = rng.below(FUNCTIONS_PER_MODULE)
            );
        } else {
            let _ = write!(
                text,
                "\n@blueprint.route(\"/search{index}\")\ndef search{index}():\n    \
                 terms = [normalise(term) for term in request.args.getlist(\"q\")]\n    \
                 filters = {{\"terms\": terms, \"limit\": 50}}\n    \
                 if not terms:\n        return jsonify(results=[])\n    \
                 results = services.search{service}(filters)\n    \
                 return jsonify(results=results, count=len(results))\n\n",
                service = rng.below(FUNCTIONS_PER_MODULE)
            );
        }
    }
    (format!("views_{slice}.py"), text)
}

fn services(rng: &mut Rng, slice: usize, planted: &mut Planted) -> (String, String) {
    let mut text = format!(
        "\"\"\"Business logic of slice {slice}.\"\"\"\n\nfrom . import db\n\
         from .utilities_{slice} import Cart, clamp\n\n"
    );
    for index in 0..FUNCTIONS_PER_MODULE {
        let built = rng.percent(2);
        if built {
            planted.sql_injections += 1;
        }
        let query = match built {
            true => "\"SELECT id, name, price, quantity FROM items WHERE name LIKE '%\" + name + \
                     \"%' LIMIT 20\", ()"
                .to_owned(),
            false => "\"SELECT id, name, price, quantity FROM items WHERE name LIKE ? LIMIT 20 \
                      OFFSET ?\", (\"%\" + name + \"%\", (page - 1) * 20)"
                .to_owned(),
        };
        let _ = write!(
            text,
            "\ndef find_items{index}(name, page=1):\n    page = clamp(page, 1, 1000)\n    \
             rows = db.fetch({query})\n    result = []\n    for row in rows:\n        \
             result.append({{\"id\": row[0], \"name\": row[1], \"price\": row[2], \
             \"quantity\": row[3]}})\n    return result\n\n\
             def item_by_id{index}(item_id):\n    \
             rows = db.fetch(\"SELECT id, name, price FROM items WHERE id = ?\", (item_id,))\n    \
             if not rows:\n        return {{\"name\": \"missing\", \"price\": 0}}\n    \
             return {{\"name\": rows[0][1], \"price\": rows[0][2]}}\n\n\
             def search{index}(filters):\n    cart = Cart(\"search\")\n    \
             for term in filters[\"terms\"][: filters[\"limit\"]]:\n        \
             for row in db.fetch(\"SELECT sku FROM items WHERE name = ?\", (term,)):\n            \
             cart.add(row[0], 1)\n    return cart.skus()\n"
        );
    }
    (format!("services_{slice}.py"), text)
}

fn utilities(rng: &mut Rng, slice: usize) -> (String, String) {
    let mut text = format!(
        "\"\"\"Helpers of slice {slice}.\"\"\"\n\nimport re\n\nWORD = re.compile(r\"[^a-z0-9 ]\")\n\n\
         def normalise(text):\n    return WORD.sub(\"\", text.lower()).strip()\n\n\n\
         def clamp(value, low, high):\n    return max(low, min(high, value))\n\n\n\
         def summarise(item, keys):\n    parts = []\n    for key in keys:\n        \
         parts.append(\"%s=%s\" % (key, item.get(key)))\n    return \", \".join(parts)\n\n\n\
         class Cart:\n    def __init__(self, owner):\n        self.owner = owner\n        \
         self.items = {{}}\n\n    def add(self, sku, quantity):\n        \
         self.items[sku] = self.items.get(sku, 0) + quantity\n\n    def skus(self):\n        \
         return sorted(self.items)\n"
    );
    for index in 0..FUNCTIONS_PER_MODULE {
        let threshold = rng.between(10, 500);
        let _ = write!(
            text,
            "\n\ndef score{index}(values, weights=None):\n    weights = weights or {{}}\n    \
             total = 0.0\n    for position, value in enumerate(values):\n        \
             weight = weights.get(position, 1.0)\n        if value > {threshold}:\n            \
             total += value * weight\n        elif value < 0:\n            continue\n        \
             else:\n            total += weight\n    return round(total, 2)\n"
        );
    }
    (format!("utilities_{slice}.py"), text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_project_of_the_asked_size() {
        let (files, planted) = generate_python(20_000, 7);
        let lines: usize = files.iter().map(|f| f.text.lines().count()).sum();
        assert!((20_000..25_000).contains(&lines), "{lines}");
        assert_eq!(generate_python(20_000, 7).0, files);
        assert!(planted.sql_injections > 0);
    }
}
