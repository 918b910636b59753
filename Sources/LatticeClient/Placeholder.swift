// LatticeClient
