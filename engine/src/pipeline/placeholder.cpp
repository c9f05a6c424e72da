// placeholder: this area has no sources yet
