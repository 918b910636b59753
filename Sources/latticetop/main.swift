import LatticeTop
