"""The lecture's 2x2 world: its images, small networks, sigmoid, worked examples, backprop."""
