// placeholder: written by the e2e helper
