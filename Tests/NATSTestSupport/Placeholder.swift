public enum NATSTestSupportPlaceholder {}
