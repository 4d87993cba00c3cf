------------------------------ MODULE Broken ------------------------------
(* Deliberately malformed: the parse test must reject it, proving it can fail. *)
EXTENDS Naturals
VARIABLE x
Init == x = 0
Next == /\ x' = x +
        /\ x < 3 ==
=============================================================================
