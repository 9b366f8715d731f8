//! A project: its modules, how an import reaches one of them, and the analysis of all of them
//! (module globals first, then every function with the summaries of those it calls).

use std::collections::HashMap;

use crate::ir::{Import, Module, Stmt};
use crate::taint::{Analysis, Options, analyse};

/// The modules of one scan, lowered; imports between them are resolved by dotted name.
pub struct Project<'m> {
    pub modules: Vec<&'m Module>,
    /// Modules by the last part of their dotted name.
    by_last: HashMap<String, Vec<u32>>,
}

impl<'m> Project<'m> {
    pub fn new(mut modules: Vec<&'m Module>) -> Project<'m> {
        // Input order decides nothing: modules are ordered by path.
        modules.sort_by(|a, b| a.path.cmp(&b.path));
        let mut by_last: HashMap<String, Vec<u32>> = HashMap::new();
        for (index, module) in modules.iter().enumerate() {
            let last = module.name.rsplit('.').next().unwrap_or(&module.name);
            by_last
                .entry(last.to_owned())
                .or_default()
                .push(index as u32);
        }
        Project { modules, by_last }
    }

    pub fn module(&self, index: u32) -> &'m Module {
        self.modules[index as usize]
    }

    /// Runs the taint analysis over every function of every module, with remote sources.
    pub fn analyse(&self) -> Analysis {
        analyse(self, Options::default())
    }

    pub fn analyse_with(&self, options: Options) -> Analysis {
        analyse(self, options)
    }

    /// The module `dotted` names, seen from module `from`: the module of that name, or whose
    /// name ends with `.dotted` (a file scanned from a folder above its project's root),
    /// preferring the one that shares the longest leading part of `from`'s name.
    pub fn module_named(&self, dotted: &str, from: u32) -> Option<u32> {
        let last = dotted.rsplit('.').next().unwrap_or(dotted);
        let candidates = self.by_last.get(last)?;
        let here = &self.modules[from as usize].name;
        candidates
            .iter()
            .copied()
            .filter(|&candidate| {
                let name = &self.modules[candidate as usize].name;
                name == dotted
                    || name
                        .strip_suffix(dotted)
                        .is_some_and(|head| head.ends_with('.'))
            })
            .max_by_key(|&candidate| {
                let name = &self.modules[candidate as usize].name;
                let shared = name
                    .split('.')
                    .zip(here.split('.'))
                    .take_while(|(a, b)| a == b)
                    .count();
                // Ties go to the first path.
                (shared, std::cmp::Reverse(candidate))
            })
    }

    /// The absolute dotted name of the module an import names, for module `from`.
    pub fn import_base(&self, import: &Import, from: u32) -> String {
        if import.level == 0 {
            return import.module.clone();
        }
        let module = &self.modules[from as usize];
        let mut package: Vec<&str> = module.name.split('.').collect();
        let is_package = module.path.ends_with("__init__.py");
        let up = import.level as usize - usize::from(is_package);
        package.truncate(package.len().saturating_sub(up));
        let mut base = package.join(".");
        if !import.module.is_empty() {
            if !base.is_empty() {
                base.push('.');
            }
            base.push_str(&import.module);
        }
        base
    }

    /// What a module binds at its top level without running anything: its functions, classes
    /// and imports by name.
    pub fn static_binding(&self, module: u32, name: &str) -> Option<&'m Stmt> {
        let module_ir = self.module(module);
        module_ir.functions[0]
            .body
            .iter()
            .rev()
            .find(|stmt| match stmt {
                Stmt::Def(index) => module_ir.functions[*index].name == name,
                Stmt::Class(index) => module_ir.classes[*index].name == name,
                Stmt::Import(index) => module_ir.imports[*index].binds == name,
                _ => false,
            })
    }

    pub fn lines(&self) -> u64 {
        self.modules.iter().map(|m| u64::from(m.lines)).sum()
    }
}

/// Parses Python files given as (path, text), in parallel.
pub fn parse_python(files: &[(&str, &str)]) -> Vec<Module> {
    use rayon::prelude::*;
    files
        .par_iter()
        .map(|(path, text)| crate::python::parse(path, text))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn imports_resolve_by_suffix_and_relative_level() {
        let modules = parse_python(&[
            (
                "demo/shop/app.py",
                "from .db import q\nfrom shop import db\n",
            ),
            ("demo/shop/db.py", "def q(): pass\n"),
            ("demo/shop/__init__.py", ""),
            ("other/db.py", ""),
        ]);
        let project = Project::new(modules.iter().collect());
        let app = project
            .modules
            .iter()
            .position(|m| m.name == "demo.shop.app")
            .unwrap() as u32;
        let import = &project.modules[app as usize].imports[0];
        assert_eq!(project.import_base(import, app), "demo.shop.db");
        let db = project.module_named("demo.shop.db", app).unwrap();
        assert_eq!(&*project.modules[db as usize].path, "demo/shop/db.py");
        // `db` alone prefers the module beside the importer.
        let near = project.module_named("db", app).unwrap();
        assert_eq!(near, db);
        let package = project.module_named("shop", app).unwrap();
        assert_eq!(
            &*project.modules[package as usize].path,
            "demo/shop/__init__.py"
        );
    }
}
