"""The employment registers in the bureau's back office (bureau staff only; import and export), each
as its declaration on the model says (registers.admin.RegisterAdmin)."""

from registers.admin import admin_register_all

admin_register_all("employment")
