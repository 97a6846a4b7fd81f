//! The resolved [`Site`] as the [`SiteView`] that rendering reads.

use crate::glossary::Glossary;
use crate::site::{HOME_URL, Site, Target};

use super::{Published, SiteView};

impl SiteView for Site {
    fn target(&self, rel: &str) -> Option<Published<'_>> {
        Some(match self.targets.get(rel) {
            Some(Target::Page(i)) => Published::Page(*i, self.pages[*i].url.as_str()),
            Some(Target::Section(i)) => Published::List(self.sections[*i].url.as_str()),
            Some(Target::Home) => Published::List(HOME_URL),
            Some(Target::Asset(out)) => Published::File(out),
            Some(Target::Draft) => Published::Draft,
            Some(Target::Intern) => Published::Intern,
            Some(Target::Personal) => Published::Personal,
            Some(Target::Broken) => Published::Broken,
            None if self.static_files.contains(rel) => Published::Static,
            None => return None,
        })
    }

    fn glossary(&self) -> &Glossary {
        &self.glossary
    }

    fn allow_raw_html(&self) -> bool {
        self.config.markdown.allow_raw_html
    }
}
