"""The science of Autoencoder Lab: data, models, losses and training. numpy + torch, no Qt."""
