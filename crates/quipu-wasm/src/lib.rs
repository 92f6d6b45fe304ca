//! WebAssembly bindings for Quipu (a first cut; the browser issue fills them in).

#![deny(missing_docs)]

use wasm_bindgen::prelude::*;

/// A tagger with the default gazetteer.
#[wasm_bindgen]
pub struct Tagger {
    inner: quipu::Tagger,
}

#[wasm_bindgen]
impl Tagger {
    /// Builds a tagger with the default gazetteer.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Result<Tagger, JsError> {
        Ok(Tagger {
            inner: quipu::Tagger::new().map_err(|e| JsError::new(&e.to_string()))?,
        })
    }

    /// Tags `text`; spans carry UTF-16 offsets for JavaScript strings.
    pub fn tag(&self, text: &str) -> Result<JsValue, JsError> {
        serde_wasm_bindgen::to_value(&self.inner.tag(text))
            .map_err(|e| JsError::new(&e.to_string()))
    }
}
