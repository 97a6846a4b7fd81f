//! Publication profiles: one site, two audiences. The intranet copy shows everything; the
//! public (`openbaar`) copy leaves out pages marked `zichtbaarheid = "intern"` and the
//! personal details of officials on letters.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// For whom a build is published.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Profile {
    /// The council's intranet: every published page, with every field.
    #[default]
    Intranet,
    /// The public web: only pages with `zichtbaarheid = "openbaar"`, without personal details.
    Openbaar,
}

impl Profile {
    /// Every profile's name, as on the command line.
    pub const NAMES: [&'static str; 2] = ["intranet", "openbaar"];

    /// The name as on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Profile::Intranet => "intranet",
            Profile::Openbaar => "openbaar",
        }
    }
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Profile {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "intranet" => Ok(Profile::Intranet),
            "openbaar" => Ok(Profile::Openbaar),
            _ => Err(format!(
                "unknown profile \"{s}\"; use {}",
                Profile::NAMES.join(" or ")
            )),
        }
    }
}

/// Who may see a page, from its front matter key `zichtbaarheid`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Zichtbaarheid {
    /// Everyone: published in every profile.
    #[default]
    Openbaar,
    /// Only the intranet copy.
    Intern,
}
