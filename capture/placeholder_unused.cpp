namespace wirestep {}
