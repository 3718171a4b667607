//! The regional SWOT synthesis by theme. Analysts may move an item to another theme (the report's
//! themes are the curators' reading, not the States' words); the groups and their counts follow.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::facts::SwotCategory;
use crate::Dataset;

/// The items of one category and theme.
#[derive(Debug, Clone, Serialize)]
pub struct ThemeGroup {
    pub category: SwotCategory,
    pub theme: String,
    /// Item ids, in the data's order.
    pub items: Vec<String>,
    /// The sum of the items' State counts. A State that gave two items of the theme counts twice:
    /// the source marks each item, not each State, so distinct States cannot be known.
    pub total: u32,
}

/// SWOT items grouped by (category, theme), with `regroup` (item id → theme) applied; sorted by
/// category, then total (largest first), then theme.
pub fn swot_by_theme(ds: &Dataset, regroup: &BTreeMap<String, String>) -> Vec<ThemeGroup> {
    let mut groups: BTreeMap<(SwotCategory, &str), ThemeGroup> = BTreeMap::new();
    for item in &ds.swot {
        let theme = regroup.get(&item.id).unwrap_or(&item.theme);
        let group = groups.entry((item.category, theme.as_str())).or_insert_with(|| ThemeGroup {
            category: item.category,
            theme: theme.clone(),
            items: Vec::new(),
            total: 0,
        });
        group.items.push(item.id.clone());
        group.total += item.states;
    }
    let mut list: Vec<ThemeGroup> = groups.into_values().collect();
    list.sort_by(|a, b| a.category.cmp(&b.category).then(b.total.cmp(&a.total)).then(a.theme.cmp(&b.theme)));
    list
}

/// The ids of a regrouping that name no SWOT item: a typo would otherwise be silently ignored.
pub fn unknown_items<'r>(ds: &Dataset, regroup: &'r BTreeMap<String, String>) -> Vec<&'r str> {
    regroup.keys().filter(|id| !ds.swot.iter().any(|s| &s.id == *id)).map(String::as_str).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::bundled;

    fn group<'a>(groups: &'a [ThemeGroup], category: SwotCategory, theme: &str) -> Option<&'a ThemeGroup> {
        groups.iter().find(|g| g.category == category && g.theme == theme)
    }

    #[test]
    fn items_group_by_category_and_theme_with_their_counts() {
        let ds = bundled();
        let groups = swot_by_theme(&ds, &BTreeMap::new());
        let coordination = group(&groups, SwotCategory::Strength, "Coordination").unwrap();
        assert_eq!(coordination.items, ["strength-1", "strength-2", "strength-4"]);
        assert_eq!(coordination.total, 6 + 4 + 1);
        // The same theme under another category is another group.
        assert!(group(&groups, SwotCategory::Weakness, "Coordination").is_some());
        // Every item is in exactly one group and no count is lost.
        let items: usize = groups.iter().map(|g| g.items.len()).sum();
        assert_eq!(items, ds.swot.len());
        let total: u32 = groups.iter().map(|g| g.total).sum();
        assert_eq!(total, ds.swot.iter().map(|s| s.states).sum::<u32>());
    }

    #[test]
    fn groups_sort_by_category_then_largest_total() {
        let groups = swot_by_theme(&bundled(), &BTreeMap::new());
        assert_eq!((groups[0].category, groups[0].theme.as_str()), (SwotCategory::Strength, "Coordination"));
        assert_eq!(groups.last().unwrap().category, SwotCategory::Threat);
        for pair in groups.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            assert!(a.category < b.category || (a.category == b.category && a.total >= b.total), "{a:?} {b:?}");
        }
    }

    #[test]
    fn regrouping_an_item_moves_its_count() {
        let ds = bundled();
        let before = swot_by_theme(&ds, &BTreeMap::new());
        let plan_tool = group(&before, SwotCategory::Strength, "Plan as a tool").unwrap().total;
        let regroup = BTreeMap::from([("strength-5".to_string(), "Coordination".to_string())]);
        let after = swot_by_theme(&ds, &regroup);
        let coordination = group(&after, SwotCategory::Strength, "Coordination").unwrap();
        assert_eq!(coordination.total, 12);
        assert!(coordination.items.contains(&"strength-5".to_string()));
        assert_eq!(group(&after, SwotCategory::Strength, "Plan as a tool").unwrap().total, plan_tool - 1);
        // Moving the only item of a theme away removes the theme; a new theme appears.
        let regroup = BTreeMap::from([("strength-11".to_string(), "Justice".to_string())]);
        let after = swot_by_theme(&ds, &regroup);
        assert!(group(&after, SwotCategory::Strength, "Prosecution").is_none());
        assert_eq!(group(&after, SwotCategory::Strength, "Justice").unwrap().items, ["strength-11"]);
    }

    #[test]
    fn a_regrouping_naming_no_item_is_reported() {
        let ds = bundled();
        let regroup = BTreeMap::from([
            ("strength-5".to_string(), "Coordination".to_string()),
            ("strenght-6".to_string(), "Resources".to_string()),
        ]);
        assert_eq!(unknown_items(&ds, &regroup), ["strenght-6"]);
    }
}
