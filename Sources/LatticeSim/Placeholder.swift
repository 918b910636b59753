// LatticeSim
