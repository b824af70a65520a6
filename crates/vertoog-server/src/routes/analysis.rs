//! The computed views of a map:
//! - `GET /maps/{map}/analysis?from=&to=&coalition_basis=&resolution=&conflict_resolution=`:
//!   the `analyse --json` document, cached per map version (see `cache.rs`).
//! - `GET /maps/{map}/graph?view=structure|discourse|coalitions&from=&to=`: nodes with their
//!   layout and edges for the UI, cached with the analysis.
//! - `GET /maps/{map}/network?mode=&aggregation=&normalization=&duplicates=&from=&to=&format=`:
//!   DNA's networks (docs/method.md §13); `format` `json` (dense, default), `csv` (dense) or
//!   `sparse` (JSON edge list, for maps too large for a dense matrix).
//! - `GET /maps/{map}/export?format=json|csv|dot|svg|png|graphml|gexf&view=&entity=&from=&to=`:
//!   a download (`Content-Disposition: attachment`). `csv` returns the four CSV files of the
//!   bundle one after the other, each preceded by a line `# actors.csv` (etc.), or only one
//!   of them with `entity=actors|narratives|stances|ties`.
//! - `GET /maps/{map}/timeline?period=month|quarter|year` and `POST /maps/{map}/whatif`.

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::header::ACCEPT_LANGUAGE;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map as JsonMap, Value};
use vertoog_analysis::dna::{
    self, Aggregation, Duplicates, NetworkError, NetworkMode, NetworkOptions, Normalization,
};
use vertoog_analysis::{action_changes, whatif_from, Change, Lang, Period, Window};
use vertoog_formats::dot::{Layout, RenderFormat};
use vertoog_formats::View;
use vertoog_model::{parse_date, CoalitionBasis};

use super::blocking;
use crate::auth::{Editor, Viewer};
use crate::cache::AnalysisKey;
use crate::error::{ApiError, ApiResult};
use crate::export::{export_graph, GraphExportOptions, GraphFormat};
use crate::input::{decode, object, reject_unknown, JsonBody, Params};
use crate::state::AppState;

/// A JSON response from bytes that are JSON already.
pub(super) fn json_bytes(bytes: Bytes) -> Response {
    (
        [(CONTENT_TYPE, HeaderValue::from_static("application/json"))],
        bytes,
    )
        .into_response()
}

/// `from` and `to` (YYYY-MM-DD; 400 naming the parameter; `from` after `to` is a 400 too).
pub(super) fn window(params: &mut Params) -> ApiResult<Window> {
    let from = params.take_with("from", parse_date)?;
    let to = params.take_with("to", parse_date)?;
    if let (Some(f), Some(t)) = (from, to) {
        if f > t {
            return Err(ApiError::bad_param(
                "from",
                format!("the window starts ({f}) after it ends ({t})"),
            ));
        }
    }
    Ok(Window { from, to })
}

/// The settings overrides a request may give as query parameters.
pub(super) fn overrides(params: &mut Params) -> ApiResult<JsonMap<String, Value>> {
    let mut o = JsonMap::new();
    if let Some(b) = params.take_with("coalition_basis", |v| {
        CoalitionBasis::parse(v)
            .map(|_| v.to_string())
            .ok_or_else(|| format!("`{v}` is not one of discourse, ties, combined"))
    })? {
        o.insert("coalition_basis".into(), Value::String(b));
    }
    for name in ["resolution", "conflict_resolution"] {
        if let Some(x) = params.take_with(name, |v| match v.parse::<f64>() {
            Ok(x) if x.is_finite() && x >= 0.0 => Ok(x),
            _ => Err(format!("`{v}` is not a number >= 0")),
        })? {
            o.insert(name.into(), json!(x));
        }
    }
    Ok(o)
}

/// The language of human text: `?lang=nl|en`, else the first of `nl`/`en` in
/// `Accept-Language`, else English (docs/interfaces.md §4).
pub(super) fn lang(params: &mut Params, headers: &HeaderMap) -> ApiResult<Lang> {
    if let Some(l) = params.take_with("lang", |v| {
        Lang::parse(v).ok_or_else(|| format!("`{v}` is not one of nl, en"))
    })? {
        return Ok(l);
    }
    let accept = headers
        .get(ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    Ok(accept_language(accept))
}

/// The query parameters every analysis view shares, as an extractor: the window (`from`,
/// `to`), the settings overrides (`coalition_basis`, `resolution`, `conflict_resolution`) and
/// the language (`lang`, else `Accept-Language`). Each is checked (400 naming the parameter).
/// Parameters of the handler's own stay in `rest`; the handler takes them and then calls
/// `rest.finish()`, which refuses any left over.
pub(crate) struct AnalysisQuery {
    pub window: Window,
    pub overrides: JsonMap<String, Value>,
    pub lang: Lang,
    pub rest: Params,
}

impl AnalysisQuery {
    /// The full cached analysis of `map` for this query (it waits when only a provisional
    /// one is ready), once no parameter is left over (a handler takes its own parameters
    /// from `rest` first).
    pub(crate) async fn computed(
        self,
        state: &AppState,
        map: String,
    ) -> ApiResult<std::sync::Arc<crate::cache::Computed>> {
        self.rest.finish()?;
        computed(state, map, self.window, self.overrides, self.lang, true).await
    }

    /// The analysis the query asks for as it is now: right after an edit, possibly the
    /// provisional one (`"provisional": true`), which the UI shows while the full one is
    /// computed (docs/decisions.md, "Re-analysis after an edit").
    pub(crate) async fn computed_now(
        self,
        state: &AppState,
        map: String,
    ) -> ApiResult<std::sync::Arc<crate::cache::Computed>> {
        self.rest.finish()?;
        computed(state, map, self.window, self.overrides, self.lang, false).await
    }
}

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for AnalysisQuery {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, ApiError> {
        let mut rest = Params::parse(parts.uri.query())?;
        let window = window(&mut rest)?;
        let overrides = overrides(&mut rest)?;
        let lang = lang(&mut rest, &parts.headers)?;
        Ok(AnalysisQuery {
            window,
            overrides,
            lang,
            rest,
        })
    }
}

/// The first language of an `Accept-Language` value that is Dutch or English (tags in the
/// order given; `q=0` excluded), English when neither appears.
fn accept_language(header: &str) -> Lang {
    for part in header.split(',') {
        let mut pieces = part.split(';');
        let tag = pieces
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        let refused = pieces.any(|p| {
            p.trim()
                .strip_prefix("q=")
                .and_then(|q| q.trim().parse::<f64>().ok())
                .is_some_and(|q| q <= 0.0)
        });
        if refused {
            continue;
        }
        let primary = tag.split('-').next().unwrap_or_default();
        if let Some(l) = Lang::parse(primary) {
            return l;
        }
    }
    Lang::En
}

/// The cached analysis of a request's map, window, overrides and language.
pub(super) async fn computed(
    state: &AppState,
    map: String,
    window: Window,
    overrides: JsonMap<String, Value>,
    lang: Lang,
    settled: bool,
) -> ApiResult<std::sync::Arc<crate::cache::Computed>> {
    let overrides = Value::Object(overrides);
    let key = AnalysisKey {
        map,
        window,
        overrides: overrides.to_string(),
        lang,
    };
    if settled {
        state
            .cache()
            .get_settled(state.store(), key, overrides)
            .await
    } else {
        state.cache().get(state.store(), key, overrides).await
    }
}

/// `GET /maps/{map}/analysis`.
pub async fn analysis(
    State(state): State<AppState>,
    _: Viewer,
    Path(map): Path<String>,
    query: AnalysisQuery,
) -> ApiResult<Response> {
    let c = query.computed_now(&state, map).await?;
    Ok(json_bytes(c.json.clone()))
}

fn view(params: &mut Params) -> ApiResult<View> {
    Ok(params
        .take_with("view", |v| {
            View::parse(v)
                .ok_or_else(|| format!("`{v}` is not one of structure, discourse, coalitions"))
        })?
        .unwrap_or_default())
}

/// `GET /maps/{map}/graph`.
pub async fn graph(
    State(state): State<AppState>,
    _: Viewer,
    Path(map): Path<String>,
    mut query: AnalysisQuery,
) -> ApiResult<Response> {
    let view = view(&mut query.rest)?;
    let c = query.computed_now(&state, map).await?;
    let bytes = blocking(move || Ok(c.graph(view))).await?;
    Ok(json_bytes(bytes))
}

fn network_error(e: NetworkError) -> ApiError {
    match e {
        NetworkError::UnknownOption { option, .. }
        | NetworkError::InvalidCombination { option, .. } => {
            ApiError::bad_param(option, e.to_string())
        }
        NetworkError::InvalidWindow { .. } => ApiError::bad_param("from", e.to_string()),
        NetworkError::TooLargeForDense { .. } => {
            ApiError::invalid("format", format!("{e}; ask for format=sparse"))
        }
    }
}

/// `GET /maps/{map}/network`.
pub async fn network(
    State(state): State<AppState>,
    _: Viewer,
    Path(map): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult<Response> {
    let mut params = Params::parse(q.as_deref())?;
    let mut opts = NetworkOptions::default();
    let parse =
        |params: &mut Params, name: &str| -> ApiResult<Option<String>> { Ok(params.take(name)) };
    if let Some(v) = parse(&mut params, "mode")? {
        opts.mode = v.parse::<NetworkMode>().map_err(network_error)?;
    }
    if let Some(v) = parse(&mut params, "aggregation")? {
        opts.aggregation = v.parse::<Aggregation>().map_err(network_error)?;
    }
    if let Some(v) = parse(&mut params, "normalization")? {
        opts.normalization = v.parse::<Normalization>().map_err(network_error)?;
    }
    if let Some(v) = parse(&mut params, "duplicates")? {
        opts.duplicates = v.parse::<Duplicates>().map_err(network_error)?;
    }
    let w = window(&mut params)?;
    opts.from = w.from;
    opts.to = w.to;
    let format = params.take("format").unwrap_or_else(|| "json".into());
    if !["json", "csv", "sparse"].contains(&format.as_str()) {
        return Err(ApiError::bad_param(
            "format",
            format!("`{format}` is not one of json, csv, sparse"),
        ));
    }
    params.finish()?;
    opts.validate().map_err(network_error)?;
    let store = state.store().clone();
    blocking(move || {
        let bundle = store.load(&map)?;
        let statements = dna::statements_from_bundle(&bundle);
        let sparse = dna::network_sparse(&statements, &opts).map_err(network_error)?;
        Ok(match format.as_str() {
            "sparse" => json_bytes(Bytes::from(serde_json::to_vec(&sparse).unwrap_or_default())),
            "csv" => {
                let dense = sparse.to_dense().map_err(network_error)?;
                (
                    [(
                        CONTENT_TYPE,
                        HeaderValue::from_static("text/csv; charset=utf-8"),
                    )],
                    dna::to_csv(&dense),
                )
                    .into_response()
            }
            _ => {
                let dense = sparse.to_dense().map_err(network_error)?;
                json_bytes(Bytes::from(serde_json::to_vec(&dense).unwrap_or_default()))
            }
        })
    })
    .await
}

fn download(content_type: &'static str, filename: String, body: impl Into<Bytes>) -> Response {
    let mut r = (
        [(CONTENT_TYPE, HeaderValue::from_static(content_type))],
        body.into(),
    )
        .into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        r.headers_mut().insert(CONTENT_DISPOSITION, v);
    }
    r
}

/// `GET /maps/{map}/export`.
pub async fn export(
    State(state): State<AppState>,
    _: Viewer,
    Path(map): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult<Response> {
    const FORMATS: [&str; 7] = ["json", "csv", "dot", "svg", "png", "graphml", "gexf"];
    let mut params = Params::parse(q.as_deref())?;
    let format = params.take("format").unwrap_or_else(|| "json".into());
    if !FORMATS.contains(&format.as_str()) {
        return Err(ApiError::bad_param(
            "format",
            format!("`{format}` is not one of {}", FORMATS.join(", ")),
        ));
    }
    let view = view(&mut params)?;
    let entity = params.take_with("entity", |v| {
        ["actors", "narratives", "stances", "ties"]
            .contains(&v)
            .then(|| v.to_string())
            .ok_or_else(|| format!("`{v}` is not one of actors, narratives, stances, ties"))
    })?;
    if entity.is_some() && format != "csv" {
        return Err(ApiError::bad_param(
            "entity",
            "`entity` goes with format=csv only",
        ));
    }
    let window = window(&mut params)?;
    params.finish()?;

    if format == "json" || format == "csv" {
        let store = state.store().clone();
        return blocking(move || {
            let bundle = store.load(&map)?;
            if format == "json" {
                return Ok(download(
                    "application/json",
                    format!("{map}.json"),
                    vertoog_formats::write_json_bundle(&bundle),
                ));
            }
            let files = vertoog_formats::write_csv_bundle(&bundle);
            let body = match &entity {
                Some(e) => files
                    .iter()
                    .find(|(name, _)| name.strip_suffix(".csv") == Some(e.as_str()))
                    .map(|(_, text)| text.clone())
                    .unwrap_or_default(),
                None => vertoog_formats::write_csv_concatenated(&bundle),
            };
            let filename = match &entity {
                Some(e) => format!("{map}-{e}.csv"),
                None => format!("{map}.csv"),
            };
            Ok(download("text/csv; charset=utf-8", filename, body))
        })
        .await;
    }

    let c = computed(&state, map.clone(), window, JsonMap::new(), Lang::En, true).await?;
    let image = format == "svg" || format == "png";
    // Images need a permit of the heavy-work bound (503 `busy` when full), held until the
    // render ends; the Graphviz child dies with this request (see `graphviz.rs`).
    let permit = if image {
        Some(crate::graphviz::heavy_permit(&state, "the image")?)
    } else {
        None
    };
    let graph_format = match format.as_str() {
        "dot" => GraphFormat::Dot,
        "graphml" => GraphFormat::Graphml,
        "gexf" => GraphFormat::Gexf,
        "png" => GraphFormat::Png,
        _ => GraphFormat::Svg,
    };
    let opts = GraphExportOptions {
        view,
        ..Default::default()
    };
    let name = format!("{map}-{}", view.as_str());
    let out = blocking(move || {
        Ok(export_graph(
            &c.bundle,
            &c.annotations(),
            graph_format,
            &opts,
        ))
    })
    .await?;
    let (content_type, ext) = match graph_format {
        GraphFormat::Dot => ("text/vnd.graphviz; charset=utf-8", "dot"),
        GraphFormat::Graphml => ("application/graphml+xml", "graphml"),
        GraphFormat::Gexf => ("application/gexf+xml", "gexf"),
        GraphFormat::Png => ("image/png", "png"),
        GraphFormat::Svg => ("image/svg+xml", "svg"),
    };
    let filename = format!("{name}.{ext}");
    if !graph_format.is_image() {
        return Ok(download(content_type, filename, out.text));
    }
    let (dot, ct, layout, threshold) = (out.text, content_type, out.layout, out.threshold);
    let rf = if graph_format == GraphFormat::Png {
        RenderFormat::Png
    } else {
        RenderFormat::Svg
    };
    let bytes = crate::graphviz::render(dot, rf, layout).await?;
    drop(permit);
    let mut r = download(ct, filename, bytes);
    let layout_name = match layout {
        Layout::Dot => "dot",
        Layout::Sfdp => "sfdp",
        Layout::Neato => "neato",
    };
    r.headers_mut()
        .insert("x-vertoog-layout", HeaderValue::from_static(layout_name));
    if let Ok(v) = HeaderValue::from_str(&format!("{threshold}")) {
        r.headers_mut().insert("x-vertoog-threshold", v);
    }
    Ok(r)
}

/// The `period` query parameter (month, quarter, year; default quarter).
pub(super) fn period(params: &mut Params) -> ApiResult<Period> {
    Ok(params
        .take_with("period", |v| {
            Period::parse(v).ok_or_else(|| format!("`{v}` is not one of month, quarter, year"))
        })?
        .unwrap_or_default())
}

/// `GET /maps/{map}/timeline?period=month|quarter|year` (default quarter), plus the settings
/// overrides of the analysis route.
pub async fn timeline(
    State(state): State<AppState>,
    _: Viewer,
    Path(map): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult<Response> {
    let mut params = Params::parse(q.as_deref())?;
    let period = period(&mut params)?;
    let over = overrides(&mut params)?;
    params.finish()?;
    let c = computed(&state, map, Window::default(), over, Lang::En, true).await?;
    let bytes = blocking(move || Ok(c.timeline(period))).await?;
    Ok(json_bytes(bytes))
}

/// `POST /maps/{map}/whatif` with `{"changes": [CHANGE...]}` (docs/interfaces.md) or
/// `{"action": "a3"}` (the changes of that action of the current analysis, the same window
/// and settings). Query: `from`, `to`, `lang` and the overrides, as for the analysis.
/// Answers `{"after": ANALYSIS, "difference": {...}}`; nothing is stored. A change that
/// cannot apply is a 422 naming `changes[i].field`; an unknown action a 422 naming `action`.
pub async fn whatif(
    State(state): State<AppState>,
    _: Editor,
    Path(map): Path<String>,
    query: AnalysisQuery,
    JsonBody(body): JsonBody,
) -> ApiResult<Response> {
    let (window, lang) = (query.window, query.lang);
    let mut obj = object(body)?;
    reject_unknown(&obj, &["changes".into(), "action".into()])?;
    let action = match obj.remove("action") {
        None | Some(Value::Null) => None,
        Some(Value::String(a)) => Some(a),
        Some(_) => {
            return Err(ApiError::invalid(
                "action",
                "expected the id of an action, e.g. \"a3\"",
            ))
        }
    };
    let changes: Option<Vec<Change>> = match obj.remove("changes") {
        None | Some(Value::Null) => None,
        Some(v) => Some(decode::<Vec<Change>>(v).map_err(|e| match e {
            ApiError::Invalid(mut p) => {
                for x in &mut p {
                    x.field = if x.field == "body" {
                        "changes".into()
                    } else {
                        format!(
                            "changes{}{}",
                            if x.field.starts_with('[') { "" } else { "." },
                            x.field
                        )
                    };
                }
                ApiError::Invalid(p)
            }
            other => other,
        })?),
    };
    if action.is_some() && changes.is_some() {
        return Err(ApiError::invalid(
            "action",
            "give either `changes` or `action`, not both",
        ));
    }
    let c = query.computed(&state, map).await?;
    let changes = match (changes, action) {
        (Some(ch), None) => ch,
        (None, Some(a)) => action_changes(&c.analysis, &a).ok_or_else(|| {
            ApiError::invalid(
                "action",
                format!("the current analysis has no action `{a}`"),
            )
        })?,
        _ => {
            return Err(ApiError::invalid(
                "changes",
                "give `changes` (a list) or `action`",
            ))
        }
    };
    blocking(move || {
        let w = whatif_from(&c.analysis, &c.bundle, &c.settings, window, &changes, lang).map_err(
            |e| ApiError::invalid(&format!("changes[{}].{}", e.index, e.field), e.to_string()),
        )?;
        let bytes = serde_json::to_vec(&w)
            .map_err(|e| ApiError::Internal(format!("cannot write the what-if as JSON: {e}")))?;
        Ok(json_bytes(Bytes::from(bytes)))
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_the_first_known() {
        assert_eq!(accept_language("nl-NL,nl;q=0.9,en;q=0.8"), Lang::Nl);
        assert_eq!(accept_language("de-DE, en-GB;q=0.7, nl;q=0.5"), Lang::En);
        assert_eq!(accept_language("fr"), Lang::En);
        assert_eq!(accept_language(""), Lang::En);
        assert_eq!(accept_language("nl;q=0, en"), Lang::En);
    }
}
