//! Synthetic maps of the scale classes of docs/interfaces.md §9, with *planted* coalitions: groups of
//! actors that share a storyline (with noise) and are mostly tied among themselves. The
//! planted membership is returned beside the map, so benchmarks can measure whether the
//! coalitions are found (normalised mutual information).
//!
//! Pure and deterministic: the same class and seed give the same map, on every machine.

use vertoog_model::{
    Actor, ActorKind, Bundle, Date, Map, Narrative, Stance, Tie, TieKind, DEFAULT_DOMAINS,
};

/// Sizes of a scale class (docs/interfaces.md §9, scale classes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Class {
    pub actors: usize,
    pub narratives: usize,
    pub stances: usize,
    pub ties: usize,
    /// Number of planted coalitions.
    pub groups: usize,
}

impl Class {
    pub const S: Class = Class {
        actors: 300,
        narratives: 40,
        stances: 3_000,
        ties: 1_500,
        groups: 6,
    };
    pub const M: Class = Class {
        actors: 5_000,
        narratives: 500,
        stances: 200_000,
        ties: 50_000,
        groups: 20,
    };
    pub const L: Class = Class {
        actors: 50_000,
        narratives: 2_000,
        stances: 2_000_000,
        ties: 500_000,
        groups: 50,
    };

    pub fn parse(name: &str) -> Option<Class> {
        match name {
            "S" | "s" => Some(Class::S),
            "M" | "m" => Some(Class::M),
            "L" | "l" => Some(Class::L),
            _ => None,
        }
    }
}

/// A generated map and the planted group (0-based) of every actor, in actor order.
pub struct Generated {
    pub bundle: Bundle,
    /// (actor id, planted group), sorted by actor id.
    pub planted: Vec<(String, usize)>,
}

/// splitmix64: a small, well-known seeded generator; good enough for synthetic data.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in 0..n (n > 0).
    fn below(&mut self, n: usize) -> usize {
        (((self.next_u64() >> 11) as u128 * n as u128) >> 53) as usize
    }
    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
}

/// The shape of a generated map within its class: how the stances, ties and groups are
/// spread. [`Shape::default`] is the shape `generate` always drew (same seed, same map).
///
/// Every field moves one habit of the generator, so that a benchmark can run over maps that
/// do not share them (issue 22): the skews are Zipf exponents (weight of the k-th item
/// ∝ 1/(k+1)^s; 0 = uniform).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Shape {
    /// Share of the narratives on each group's storyline (at least 3): with the stances per
    /// actor, this sets how many narratives an actor speaks on. Default 0.4.
    pub storyline_share: f64,
    /// Share of an actor's stances taken from its group's storyline (the rest is noise).
    /// Default 0.85.
    pub on_storyline: f64,
    /// Share of the actors that take no stance at all (silent actors). Default 0.
    pub silent: f64,
    /// The class's tie count is multiplied by this. Default 1.
    pub tie_density: f64,
    /// Share of ties drawn inside the actor's group. Default 0.85.
    pub ties_inside: f64,
    /// Zipf exponent of the group sizes (0: equal groups). Default 0.
    pub group_skew: f64,
    /// Zipf exponent of how the stances spread over narratives: over a storyline's narratives
    /// and over all narratives for the noise (0: uniform). Default 0.
    pub narrative_skew: f64,
    /// Zipf exponent of how many stances each speaking actor takes (0: the same number).
    /// Default 0.
    pub activity_skew: f64,
}

impl Default for Shape {
    fn default() -> Self {
        Shape {
            storyline_share: 0.4,
            on_storyline: 0.85,
            silent: 0.0,
            tie_density: 1.0,
            ties_inside: 0.85,
            group_skew: 0.0,
            narrative_skew: 0.0,
            activity_skew: 0.0,
        }
    }
}

impl Shape {
    /// The named shapes `vertoog generate --shape` and bench/compare use.
    pub const NAMES: [&'static str; 4] = ["default", "skewed", "sparse", "dense"];

    /// A named shape: `default`; `skewed` (unequal groups, a few narratives and actors take
    /// most stances, a fifth of the actors silent); `sparse` (short storylines, more noise,
    /// half the ties, a tenth silent); `dense` (long storylines, twice the ties, more of
    /// them across groups).
    pub fn named(name: &str) -> Option<Shape> {
        let d = Shape::default();
        match name {
            "default" => Some(d),
            "skewed" => Some(Shape {
                silent: 0.2,
                group_skew: 1.0,
                narrative_skew: 1.0,
                activity_skew: 0.8,
                ..d
            }),
            "sparse" => Some(Shape {
                storyline_share: 0.1,
                on_storyline: 0.75,
                silent: 0.1,
                tie_density: 0.5,
                ..d
            }),
            "dense" => Some(Shape {
                storyline_share: 0.7,
                tie_density: 2.0,
                ties_inside: 0.7,
                ..d
            }),
            _ => None,
        }
    }

    /// Checks the ranges: shares in [0, 1] (`silent` below 1), density and skews >= 0.
    pub fn check(&self) -> Result<(), String> {
        let share = |name: &str, x: f64, upper_open: bool| {
            if !(0.0..=1.0).contains(&x) || (upper_open && x >= 1.0) {
                Err(format!(
                    "{name} must be in [0, 1{}: {x}",
                    if upper_open { ")" } else { "]" }
                ))
            } else {
                Ok(())
            }
        };
        share("storyline share", self.storyline_share, false)?;
        share("on-storyline share", self.on_storyline, false)?;
        share("silent share", self.silent, true)?;
        share("ties-inside share", self.ties_inside, false)?;
        for (name, x) in [
            ("tie density", self.tie_density),
            ("group skew", self.group_skew),
            ("narrative skew", self.narrative_skew),
            ("activity skew", self.activity_skew),
        ] {
            if !(x.is_finite() && x >= 0.0) {
                return Err(format!("{name} must be a number >= 0: {x}"));
            }
        }
        Ok(())
    }
}

/// Cumulative Zipf weights of `n` items with exponent `s` (the last is 1).
fn zipf_cdf(n: usize, s: f64) -> Vec<f64> {
    let mut acc = 0.0;
    let mut cdf: Vec<f64> = (0..n)
        .map(|k| {
            acc += 1.0 / ((k + 1) as f64).powf(s);
            acc
        })
        .collect();
    for c in &mut cdf {
        *c /= acc;
    }
    cdf
}

/// An index in 0..n: uniform (one `below` draw, as the default shape always drew) when
/// `cdf` is `None`, else from the cumulative weights (one `unit` draw).
fn pick(rng: &mut Rng, n: usize, cdf: Option<&[f64]>) -> usize {
    match cdf {
        None => rng.below(n),
        Some(c) => {
            let u = rng.unit();
            c.partition_point(|&x| x <= u).min(n - 1)
        }
    }
}

/// Generates a map of `class` with planted coalitions, deterministic per `seed`.
///
/// Each group has a storyline: a set of narratives (about 40 % of them, at least 3) with a
/// position in {-2, -1, 1, 2} on each. An actor's stance is, with probability 0.85, on a
/// narrative of its group's storyline with the group's position (moved one step, never through
/// 0, with probability 0.2); otherwise on a random narrative with a random position. Ties join
/// two actors of the same group with probability 0.85; across groups they are `conflict` ties
/// when the two storylines disagree more than they agree. The first three narratives are core.
pub fn generate(class: Class, seed: u64) -> Generated {
    generate_shaped(class, Shape::default(), seed, None)
}

/// A scheduled realignment (dynamics.md tests): from `at` on, the actors of planted group
/// `group` take their stances from the storyline of group `into` (they join it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Realignment {
    pub group: usize,
    pub into: usize,
    pub at: Date,
}

/// [`generate`] with an optional [`Realignment`]: without one, exactly the map of
/// `generate`. With one, every stance of a member of `group` dated on or after `at` is drawn
/// again (from a second seeded stream, so the rest of the map stays the same) from `into`'s
/// storyline, with the same noise. `planted` stays the groups before the realignment.
pub fn generate_realigned(class: Class, seed: u64, realign: Option<Realignment>) -> Generated {
    generate_shaped(class, Shape::default(), seed, realign)
}

/// [`generate_realigned`] with a [`Shape`]: with `Shape::default()` exactly the map of
/// [`generate_realigned`]. A skewed shape draws from the same seeded stream, so the map is
/// still the same per (class, shape, seed).
pub fn generate_shaped(
    class: Class,
    shape: Shape,
    seed: u64,
    realign: Option<Realignment>,
) -> Generated {
    let on_story = shape.on_storyline;
    let mut realign_rng = Rng(seed ^ 0x5245_414C_4947_4E21);
    let mut rng = Rng(seed ^ 0x5645_5254_4F4F_4721);
    let width = (class.actors.max(2) as f64).log10().ceil() as usize + 1;
    let mut map = Map::new(format!("generated-{}", class.actors));
    map.name = format!("Generated map ({} actors, seed {seed})", class.actors);
    map.description = "Synthetic map with planted coalitions (vertoog generate).".into();
    let mut bundle = Bundle::new(map);

    let groups = class.groups.max(1);
    let group_of: Vec<usize> = if shape.group_skew > 0.0 && class.actors >= groups {
        // Zipf sizes, each group at least one actor, members spread over the id range.
        let cdf = zipf_cdf(groups, shape.group_skew);
        let spare = (class.actors - groups) as f64;
        let mut sizes: Vec<usize> = (0..groups)
            .map(|g| {
                let share = cdf[g] - if g == 0 { 0.0 } else { cdf[g - 1] };
                1 + (share * spare).floor() as usize
            })
            .collect();
        let short = class.actors - sizes.iter().sum::<usize>();
        for size in sizes.iter_mut().take(short) {
            *size += 1;
        }
        let mut order: Vec<usize> = sizes
            .iter()
            .enumerate()
            .flat_map(|(g, &k)| std::iter::repeat_n(g, k))
            .collect();
        for k in (1..order.len()).rev() {
            let r = rng.below(k + 1);
            order.swap(k, r);
        }
        order
    } else {
        (0..class.actors).map(|i| i % groups).collect()
    };
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); groups];
    for (i, g) in group_of.iter().enumerate() {
        members[*g].push(i);
    }

    for (i, group) in group_of.iter().enumerate() {
        let mut a = Actor::new(format!("a{i:0width$}"), format!("Actor {i}"));
        a.domain = DEFAULT_DOMAINS[rng.below(DEFAULT_DOMAINS.len())].to_string();
        a.influence = round2(0.05 + 0.9 * rng.unit() * rng.unit().sqrt());
        a.interest = round2(rng.unit());
        a.kind = ActorKind::Organisation;
        a.tags = vec![format!("group-{group}")];
        bundle.actors.push(a);
    }
    let nwidth = (class.narratives.max(2) as f64).log10().ceil() as usize + 1;
    for j in 0..class.narratives {
        bundle.narratives.push(Narrative::new(
            format!("n{j:0nwidth$}"),
            format!("Narrative {j}"),
            j < 3,
        ));
    }

    // Storylines: each group takes a position on ~40 % of the narratives.
    let per_story = ((class.narratives as f64 * shape.storyline_share).round() as usize)
        .clamp(3.min(class.narratives), class.narratives);
    let storylines: Vec<Vec<(usize, i8)>> = (0..groups)
        .map(|g| {
            let mut chosen: Vec<usize> = (0..class.narratives).collect();
            // Partial Fisher-Yates: the first `per_story` are a random subset.
            for k in 0..per_story {
                let r = k + rng.below(class.narratives - k);
                chosen.swap(k, r);
            }
            chosen.truncate(per_story);
            chosen.sort_unstable();
            // Core narratives: half of the groups carry the transition, the others oppose it.
            chosen
                .into_iter()
                .map(|n| {
                    let magnitude = 1 + rng.below(2) as i8;
                    let sign = if n < 3 {
                        if g % 2 == 0 {
                            1
                        } else {
                            -1
                        }
                    } else if rng.chance(0.5) {
                        1
                    } else {
                        -1
                    };
                    (n, sign * magnitude)
                })
                .collect()
        })
        .collect();

    let start = Date::from_ymd_opt(2015, 1, 1).expect("valid date");
    let days = 365 * 12;
    // The speaking actors: all but a `silent` share (drawn at random).
    let speaking: Vec<usize> = if shape.silent > 0.0 {
        let quiet = ((class.actors as f64) * shape.silent).round() as usize;
        let mut order: Vec<usize> = (0..class.actors).collect();
        for k in 0..quiet.min(class.actors.saturating_sub(1)) {
            let r = k + rng.below(class.actors - k);
            order.swap(k, r);
        }
        let mut rest = order.split_off(quiet.min(class.actors.saturating_sub(1)));
        rest.sort_unstable();
        rest
    } else {
        (0..class.actors).collect()
    };
    let activity =
        (shape.activity_skew > 0.0).then(|| zipf_cdf(speaking.len(), shape.activity_skew));
    let noise_cdf =
        (shape.narrative_skew > 0.0).then(|| zipf_cdf(class.narratives, shape.narrative_skew));
    let story_cdfs: Vec<Option<Vec<f64>>> = storylines
        .iter()
        .map(|st| (shape.narrative_skew > 0.0).then(|| zipf_cdf(st.len(), shape.narrative_skew)))
        .collect();
    for s in 0..class.stances {
        if speaking.is_empty() {
            break;
        }
        let actor = match &activity {
            None => speaking[s % speaking.len()],
            Some(cdf) => speaking[pick(&mut rng, speaking.len(), Some(cdf))],
        };
        let story = &storylines[group_of[actor]];
        let (narrative, position) = if !story.is_empty() && rng.chance(on_story) {
            let (n, p) = story[pick(
                &mut rng,
                story.len(),
                story_cdfs[group_of[actor]].as_deref(),
            )];
            let p = if rng.chance(0.2) {
                shift(p, &mut rng)
            } else {
                p
            };
            (n, p)
        } else {
            let p = [-2i8, -1, 1, 2][rng.below(4)];
            (
                pick(&mut rng, class.narratives.max(1), noise_cdf.as_deref()),
                p,
            )
        };
        if class.narratives == 0 {
            break;
        }
        let mut st = Stance::new(
            format!("s{s}"),
            bundle.actors[actor].id.clone(),
            bundle.narratives[narrative].id.clone(),
            position,
        );
        st.date = Some(start + chrono::Duration::days(rng.below(days) as i64));
        if let Some(r) = realign {
            let story = &storylines[r.into.min(groups - 1)];
            if group_of[actor] == r.group && st.date >= Some(r.at) && !story.is_empty() {
                let rr = &mut realign_rng;
                let (n, p) = if rr.chance(on_story) {
                    let (n, p) = story[rr.below(story.len())];
                    (n, if rr.chance(0.2) { shift(p, rr) } else { p })
                } else {
                    (rr.below(class.narratives), [-2i8, -1, 1, 2][rr.below(4)])
                };
                st.narrative = bundle.narratives[n].id.clone();
                st.position = p;
            }
        }
        bundle.stances.push(st);
    }

    let agreement = |a: usize, b: usize| -> i32 {
        let (sa, sb) = (&storylines[a], &storylines[b]);
        let mut score = 0;
        for (n, p) in sa {
            if let Ok(k) = sb.binary_search_by_key(n, |x| x.0) {
                score += (p.signum() * sb[k].1.signum()) as i32;
            }
        }
        score
    };
    let mut seen = std::collections::HashSet::new();
    let mut t = 0;
    let mut attempts = 0;
    let n_ties = if shape.tie_density == 1.0 {
        class.ties
    } else {
        (class.ties as f64 * shape.tie_density).round() as usize
    };
    while t < n_ties && attempts < n_ties * 20 && class.actors >= 2 {
        attempts += 1;
        let a = rng.below(class.actors);
        let b = if rng.chance(shape.ties_inside) && members[group_of[a]].len() > 1 {
            let m = &members[group_of[a]];
            m[rng.below(m.len())]
        } else {
            rng.below(class.actors)
        };
        if a == b || !seen.insert((a.min(b), a.max(b))) {
            continue;
        }
        let (ga, gb) = (group_of[a], group_of[b]);
        let kind = if ga != gb && agreement(ga, gb) < 0 {
            TieKind::Conflict
        } else {
            [
                TieKind::Collaboration,
                TieKind::Communication,
                TieKind::Membership,
            ][rng.below(3)]
        };
        let mut tie = Tie::new(
            format!("t{t}"),
            bundle.actors[a].id.clone(),
            bundle.actors[b].id.clone(),
            kind,
        );
        tie.weight = round2(0.1 + 0.9 * rng.unit());
        bundle.ties.push(tie);
        t += 1;
    }

    let planted = bundle
        .actors
        .iter()
        .zip(&group_of)
        .map(|(a, g)| (a.id.clone(), *g))
        .collect();
    Generated { bundle, planted }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// One step up or down, staying in {-2, -1, 1, 2} (a noisy actor never turns silent here).
fn shift(p: i8, rng: &mut Rng) -> i8 {
    match (p, rng.chance(0.5)) {
        (2, _) => 1,
        (-2, _) => -1,
        (1, true) => 2,
        (-1, true) => -2,
        (x, _) => x,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_validity_of_class_s() {
        let g = generate(Class::S, 7);
        let b = &g.bundle;
        assert_eq!(b.actors.len(), 300);
        assert_eq!(b.narratives.len(), 40);
        assert_eq!(b.stances.len(), 3_000);
        assert_eq!(b.ties.len(), 1_500);
        assert_eq!(g.planted.len(), 300);
        assert!(
            b.validate().is_empty(),
            "{:?}",
            &b.validate()[..3.min(b.validate().len())]
        );
        assert_eq!(b.narratives.iter().filter(|n| n.core).count(), 3);
    }

    #[test]
    fn a_realignment_changes_only_the_group_after_its_date() {
        let plain = generate(Class::S, 2);
        assert!(generate_realigned(Class::S, 2, None).bundle == plain.bundle);
        let at = Date::from_ymd_opt(2020, 1, 1).unwrap();
        let r = generate_realigned(
            Class::S,
            2,
            Some(Realignment {
                group: 1,
                into: 0,
                at,
            }),
        );
        assert_eq!(r.planted, plain.planted);
        let group: std::collections::HashMap<&str, usize> = plain
            .planted
            .iter()
            .map(|(a, k)| (a.as_str(), *k))
            .collect();
        let mut changed = 0;
        for (x, y) in plain.bundle.stances.iter().zip(&r.bundle.stances) {
            assert_eq!((&x.id, &x.actor, x.date), (&y.id, &y.actor, y.date));
            if x != y {
                changed += 1;
                assert_eq!(group[x.actor.as_str()], 1);
                assert!(x.date >= Some(at));
            }
        }
        assert!(changed > 50, "{changed}");
        assert_eq!(r.bundle.ties, plain.bundle.ties);
    }

    #[test]
    fn every_named_shape_is_valid_and_keeps_the_class_sizes() {
        for name in Shape::NAMES {
            let shape = Shape::named(name).unwrap();
            shape.check().unwrap();
            let g = generate_shaped(Class::S, shape, 5, None);
            let b = &g.bundle;
            assert_eq!(b.actors.len(), 300, "{name}");
            assert_eq!(b.stances.len(), 3_000, "{name}");
            let ties = (1_500.0 * shape.tie_density).round() as usize;
            assert_eq!(b.ties.len(), ties, "{name}");
            let v = b.validate();
            assert!(v.is_empty(), "{name}: {:?}", &v[..3.min(v.len())]);
            let again = generate_shaped(Class::S, shape, 5, None);
            assert!(again.bundle == g.bundle, "{name} not deterministic");
        }
        assert!(Shape::named("round").is_none());
        assert!(Shape {
            silent: 1.0,
            ..Shape::default()
        }
        .check()
        .is_err());
    }

    #[test]
    fn the_skews_and_the_silent_share_do_what_they_say() {
        let plain = generate(Class::S, 9);
        let skewed = generate_shaped(Class::S, Shape::named("skewed").unwrap(), 9, None);
        let speakers = |b: &Bundle| {
            b.stances
                .iter()
                .map(|s| s.actor.as_str())
                .collect::<std::collections::HashSet<_>>()
                .len()
        };
        assert_eq!(speakers(&plain.bundle), 300);
        // A fifth silent: at most 240 speak (the skewed activity may leave a few more quiet).
        assert!(
            speakers(&skewed.bundle) <= 240,
            "{}",
            speakers(&skewed.bundle)
        );
        let sizes = |g: &Generated| {
            let mut k = vec![0usize; 6];
            for (_, x) in &g.planted {
                k[*x] += 1;
            }
            k
        };
        assert_eq!(sizes(&plain), vec![50; 6]);
        let s = sizes(&skewed);
        assert!(s.iter().all(|&x| x >= 1) && s[0] > 2 * s[5], "{s:?}");
        // The most used narrative takes a much larger share under the narrative skew.
        let top = |b: &Bundle| {
            let mut c: std::collections::HashMap<&str, usize> = Default::default();
            for st in &b.stances {
                *c.entry(st.narrative.as_str()).or_default() += 1;
            }
            *c.values().max().unwrap()
        };
        assert!(top(&skewed.bundle) > 2 * top(&plain.bundle));
    }

    #[test]
    fn the_storyline_share_sets_the_narratives_per_actor() {
        let per_actor = |shape: Shape| {
            let g = generate_shaped(Class::S, shape, 3, None);
            let pairs: std::collections::HashSet<(&str, &str)> = g
                .bundle
                .stances
                .iter()
                .map(|s| (s.actor.as_str(), s.narrative.as_str()))
                .collect();
            pairs.len() as f64 / 300.0
        };
        let sparse = per_actor(Shape::named("sparse").unwrap());
        let dense = per_actor(Shape::named("dense").unwrap());
        assert!(sparse < dense, "{sparse} {dense}");
    }

    #[test]
    fn deterministic_per_seed() {
        let a = generate(Class::S, 3);
        let b = generate(Class::S, 3);
        let c = generate(Class::S, 4);
        assert_eq!(a.bundle, b.bundle);
        assert_ne!(a.bundle, c.bundle);
    }

    #[test]
    fn ties_are_mostly_inside_groups() {
        let g = generate(Class::S, 1);
        let group: std::collections::HashMap<&str, usize> =
            g.planted.iter().map(|(a, k)| (a.as_str(), *k)).collect();
        let inside = g
            .bundle
            .ties
            .iter()
            .filter(|t| group[t.source.as_str()] == group[t.target.as_str()])
            .count();
        let share = inside as f64 / g.bundle.ties.len() as f64;
        assert!(share > 0.8, "share inside {share}");
    }
}
