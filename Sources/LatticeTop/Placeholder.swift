// LatticeTop
