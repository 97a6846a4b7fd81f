//! The later pages of long lists (see [`crate::paging`]): the pages of a section's list, of a
//! tag's and of a gemeente's letters and opgaven after the first, claimed so that no file
//! of the content can take their paths.

use super::claims::Claims;
use super::{GemeentePages, Section, Site, Tag};
use crate::config::Config;
use crate::diagnostics::Diagnostics;
use crate::paging::{self, PAGE_PREFIX};

/// The file name prefix of the later pages of a gemeente's opgaven (its letters use
/// [`PAGE_PREFIX`]).
pub const OPGAVEN_PREFIX: &str = "opgaven";

/// Claims the later pages of every list.
pub(super) fn claim(
    config: &Config,
    sections: &[Section],
    tags: &[Tag],
    gemeenten: &[GemeentePages],
    claims: &mut Claims,
    diags: &mut Diagnostics,
) {
    for s in sections {
        let urls = paging::later_urls(&s.url, PAGE_PREFIX, s.pages.len());
        claims.claim_all(urls.collect(), "a page of a section's list", diags);
    }
    for t in tags {
        let urls = paging::later_urls(&t.url, PAGE_PREFIX, t.pages.len());
        claims.claim_all(urls.collect(), "a page of a tag's list", diags);
    }
    for (g, p) in config.gemeenten.iter().zip(gemeenten) {
        let first = Site::gemeente_url(&g.slug);
        let letters = paging::later_urls(&first, PAGE_PREFIX, p.letters.len());
        let opgaven = paging::later_urls(&first, OPGAVEN_PREFIX, p.opgaven.len());
        claims.claim_all(
            letters.chain(opgaven).collect(),
            "a page of a gemeente's lists",
            diags,
        );
    }
}
