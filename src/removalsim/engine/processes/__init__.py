"""The stages of the model, one module each; `removalsim.engine.loop.ORDER` runs them."""
